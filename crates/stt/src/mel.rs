//! The mel filterbank whisper.cpp reads from the model file: Whisper's
//! `librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)` (Slaney mel scale, Slaney
//! area normalisation, htk=False), computed in f64.

pub const SAMPLE_RATE: f64 = 16_000.0;
pub const N_FFT: usize = 400;
/// Frequency bins of a real FFT of `N_FFT` samples.
pub const N_FREQS: usize = N_FFT / 2 + 1;

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

/// Slaney's mel scale: linear below 1 kHz, logarithmic above.
pub fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP
    }
}

pub fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// `n_mels` rows of `N_FREQS` weights, row-major, as librosa computes them.
pub fn mel_filters(n_mels: usize) -> Vec<f64> {
    let fft_freqs: Vec<f64> = (0..N_FREQS)
        .map(|k| k as f64 * SAMPLE_RATE / N_FFT as f64)
        .collect();
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
    // n_mels + 2 band edges, evenly spaced in mel (numpy.linspace semantics).
    let edges: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = vec![0.0; n_mels * N_FREQS];
    for m in 0..n_mels {
        let (left, centre, right) = (edges[m], edges[m + 1], edges[m + 2]);
        let enorm = 2.0 / (right - left);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let lower = (f - left) / (centre - left);
            let upper = (right - f) / (right - centre);
            out[m * N_FREQS + k] = lower.min(upper).max(0.0) * enorm;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_scale_round_trips_and_matches_slaney() {
        for hz in [0.0, 100.0, 999.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
        }
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(8000.0) - 45.245_640_471_924_965).abs() < 1e-12);
    }

    #[test]
    fn filters_match_whisper_reference_values() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * N_FREQS);
        // Worked out by hand from librosa's formula (bin 1 = 40 Hz, first band 0-37.2-74.5 Hz).
        assert!((f[1] - 0.024_862_594).abs() < 1e-8, "{}", f[1]);
        assert_eq!(f[0], 0.0);
        // Each filter is a non-negative triangle with one peak.
        for m in 0..80 {
            let row = &f[m * N_FREQS..(m + 1) * N_FREQS];
            assert!(row.iter().all(|&w| w >= 0.0));
            assert!(row.iter().any(|&w| w > 0.0), "filter {m} is empty");
        }
        // The highest filter ends at Nyquist, so the last bin is zero.
        assert_eq!(f[79 * N_FREQS + N_FREQS - 1], 0.0);
    }
}
