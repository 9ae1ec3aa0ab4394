//! Arithmetic modulo the Mersenne prime 2^61 - 1: counts that may grow exponentially (the
//! regions' heaviest chains) and polynomial hashes of token stretches (the fragments' long
//! runs). Two different values agree modulo it with probability about 2^-61.

/// The prime 2^61 - 1.
pub(crate) const MODULUS: u64 = (1 << 61) - 1;

/// `x + y` modulo [`MODULUS`], for `x` and `y` below it.
pub(crate) fn add(x: u64, y: u64) -> u64 {
    reduce_once(x + y)
}

/// `x - y` modulo [`MODULUS`], for `x` and `y` below it.
pub(crate) fn sub(x: u64, y: u64) -> u64 {
    reduce_once(x + (MODULUS - y))
}

/// `x * y` modulo [`MODULUS`], for `x` and `y` below it: 2^61 is 1 modulo the prime, so the
/// product's high bits fold onto its low bits without a division.
pub(crate) fn mul(x: u64, y: u64) -> u64 {
    let product = x as u128 * y as u128;
    reduce_once((product as u64 & MODULUS) + (product >> 61) as u64)
}

/// A value below 2 * [`MODULUS`], reduced.
fn reduce_once(x: u64) -> u64 {
    if x >= MODULUS { x - MODULUS } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_division_by_the_prime() {
        let mut next = crate::testing::numbers(3);
        let edges = [0, 1, 2, MODULUS - 2, MODULUS - 1];
        let values: Vec<u64> = edges
            .into_iter()
            .chain((0..2_000).map(|_| next(MODULUS)))
            .collect();
        for pair in values.windows(2) {
            let (x, y) = (pair[0], pair[1]);
            let m = MODULUS as u128;
            assert_eq!(add(x, y) as u128, (x as u128 + y as u128) % m, "{x} + {y}");
            assert_eq!(
                sub(x, y) as u128,
                (x as u128 + m - y as u128) % m,
                "{x} - {y}"
            );
            assert_eq!(mul(x, y) as u128, (x as u128 * y as u128) % m, "{x} * {y}");
        }
    }
}
