//! Agreement between two graders' levels (0-4): exact, within one level, quadratic weighted
//! kappa (Cohen's kappa with squared-distance weights, the usual figure for essay and
//! interview scoring).

use serde::Serialize;

/// Levels run 0..=MAX_LEVEL.
const MAX_LEVEL: usize = 4;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Agreement {
    pub pairs: usize,
    /// Share of pairs with the same level.
    pub exact: f64,
    /// Share of pairs at most one level apart.
    pub within_one: f64,
    pub kappa: f64,
}

impl Agreement {
    /// `pairs` of (reference, graded) levels.
    pub fn of(pairs: &[(u8, u8)]) -> Agreement {
        if pairs.is_empty() {
            return Agreement::default();
        }
        let n = pairs.len() as f64;
        let exact = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
        let within_one = pairs.iter().filter(|(a, b)| a.abs_diff(*b) <= 1).count() as f64 / n;
        Agreement {
            pairs: pairs.len(),
            exact,
            within_one,
            kappa: quadratic_weighted_kappa(pairs),
        }
    }
}

/// Quadratic weighted kappa of (reference, graded) levels 0-4: 1 is perfect agreement, 0 what
/// chance gives with the same marginals. When every pair has one and the same level there is
/// no spread to agree on: 1 if the two agree, else 0.
pub fn quadratic_weighted_kappa(pairs: &[(u8, u8)]) -> f64 {
    let k = MAX_LEVEL + 1;
    let clamp = |l: u8| usize::from(l).min(MAX_LEVEL);
    let mut observed = vec![vec![0.0f64; k]; k];
    let mut rows = vec![0.0f64; k];
    let mut cols = vec![0.0f64; k];
    for &(a, b) in pairs {
        let (a, b) = (clamp(a), clamp(b));
        observed[a][b] += 1.0;
        rows[a] += 1.0;
        cols[b] += 1.0;
    }
    let n = pairs.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let weight = |i: usize, j: usize| ((i as f64 - j as f64) / MAX_LEVEL as f64).powi(2);
    let mut disagreement = 0.0;
    let mut by_chance = 0.0;
    for i in 0..k {
        for j in 0..k {
            disagreement += weight(i, j) * observed[i][j];
            by_chance += weight(i, j) * rows[i] * cols[j] / n;
        }
    }
    if by_chance == 0.0 {
        return if disagreement == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - disagreement / by_chance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_agreement_is_one_and_reversal_is_negative() {
        let same: Vec<(u8, u8)> = (0..5).map(|l| (l, l)).collect();
        assert!((quadratic_weighted_kappa(&same) - 1.0).abs() < 1e-12);
        let reversed: Vec<(u8, u8)> = (0..5).map(|l| (l, 4 - l)).collect();
        assert!((quadratic_weighted_kappa(&reversed) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn matches_a_hand_computed_table() {
        // Reference 0,1,2,3 graded 0,2,2,4: observed disagreement sum of (d/4)^2 = 2/16;
        // chance: rows {0,1,2,3} x cols {0,2,2,4} each 1/4 of a pair.
        let pairs = [(0, 0), (1, 2), (2, 2), (3, 4)];
        let obs: f64 = 2.0 / 16.0;
        let mut chance = 0.0;
        for a in [0.0f64, 1.0, 2.0, 3.0] {
            for b in [0.0f64, 2.0, 2.0, 4.0] {
                chance += ((a - b) / 4.0).powi(2) / 4.0;
            }
        }
        let expected = 1.0 - obs / chance;
        assert!((quadratic_weighted_kappa(&pairs) - expected).abs() < 1e-12);
        let a = Agreement::of(&pairs);
        assert_eq!(a.exact, 0.5);
        assert_eq!(a.within_one, 1.0);
    }

    #[test]
    fn a_grader_that_always_says_the_same_level_gets_zero() {
        let pairs = [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2)];
        assert!(quadratic_weighted_kappa(&pairs).abs() < 1e-12);
    }
}
