//! A hint to the processor to bring a value into cache before it is read.

/// How many items ahead a pass of random reads asks for its reads (the lookups' road costs, the
/// snaps' gather): far enough for a line to come from memory, near enough to stay in cache.
pub(crate) const AHEAD: usize = 16;

/// Asks the processor to fetch `value`'s cache lines (its first and last byte: values of up to
/// 64 bytes) into cache, without waiting for them: a hint, nothing is read. Random reads asked
/// for a few items ahead are in cache when their item comes. A plain read ahead was no faster:
/// it holds up the instructions after it until its line comes.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let first = std::ptr::from_ref(value).cast::<i8>();
        let last = first.wrapping_add(size_of::<T>().saturating_sub(1));
        // SAFETY: a prefetch reads nothing and never faults, whatever the address; both are
        // inside `value` anyway.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(first);
            _mm_prefetch::<_MM_HINT_T0>(last);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
