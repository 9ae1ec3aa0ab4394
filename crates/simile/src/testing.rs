//! Helpers shared by the crate's unit tests.

/// Pseudo-random numbers below `n` (a linear congruential generator from `seed`): varied but
/// reproducible inputs.
pub(crate) fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    }
}
