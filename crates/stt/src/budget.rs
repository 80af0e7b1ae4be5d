//! A cap on the tokens whisper may decode for a clip, from the clip's length.
//!
//! On short clips (1-4 s, the start of a live piece) tiny.en often falls into a repetition
//! loop: "It must never promise a refund, it cannot give. It cannot give. It cannot give..."
//! until its 224-token limit, and a final pass then decodes the loop again at each fallback
//! temperature. The filters (`crate::repeats`, the compression check) throw that text away,
//! but the time was spent: on the benchmark's 2-minute answer, partials of 1-2 s of speech took
//! ~2 s instead of ~0.2 s, and speculative finals of 3-4 s took 2.5 s instead of 0.3 s. That
//! work is what made a partial lag 2-3 s behind speech, and the final after a pause wait as
//! long, on one core.
//!
//! Speech is at most ~4.5 tokens a second (250 words a minute, with punctuation and whisper's
//! timestamp tokens); the budget allows [`TOKENS_PER_SECOND`] plus [`BASE_TOKENS`], so it
//! never cuts what was said, only what whisper makes up after it. Once a decoding attempt
//! reaches the budget, the logits filter leaves end-of-text as the only token it may pick.

use std::cell::Cell;
use std::os::raw::c_int;
use whisper_rs::whisper_rs_sys as sys;
use whisper_rs::FullParams;

/// Tokens allowed per second of audio: twice a fast speaker's rate.
pub const TOKENS_PER_SECOND: f64 = 10.0;
/// Tokens allowed on top, for the shortest clips (a 1 s clip may hold a few short words).
pub const BASE_TOKENS: usize = 16;

/// What the last call decoded, for logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeStats {
    /// The most tokens one decoding attempt produced (whisper retries at higher temperatures).
    pub longest_attempt: usize,
    /// The budget the clip was given.
    pub budget: usize,
    /// Whether an attempt was stopped at the budget.
    pub cut: bool,
    /// The CPU threads the call ran on (finals may get more than partials).
    pub threads: usize,
}

/// The budget of one whisper call. Boxed by [`DecodeBudget::install`]'s caller so that the
/// pointer whisper.cpp holds stays valid; `Cell`s because the callback only gets `&self`.
pub(crate) struct DecodeBudget {
    max_tokens: usize,
    longest: Cell<usize>,
    cut: Cell<bool>,
}

impl DecodeBudget {
    /// The budget for `seconds` of audio.
    pub(crate) fn for_clip(seconds: f64) -> Box<Self> {
        let max_tokens = BASE_TOKENS + (seconds.max(0.0) * TOKENS_PER_SECOND).ceil() as usize;
        Box::new(DecodeBudget {
            max_tokens,
            longest: Cell::new(0),
            cut: Cell::new(false),
        })
    }

    /// Makes `params` end each decoding attempt at this budget. `self` must outlive the
    /// `full` call that consumes `params` (the caller keeps the box until it returns).
    pub(crate) fn install(&self, params: &mut FullParams<'_, '_>) {
        // SAFETY: the callback only reads and sets the `Cell`s behind the pointer, on the
        // thread that runs `full`, and the caller keeps this box alive for that whole call.
        unsafe {
            params.set_filter_logits_callback(Some(end_text_at_budget));
            params.set_filter_logits_callback_user_data(
                self as *const DecodeBudget as *mut std::ffi::c_void,
            );
        }
    }

    pub(crate) fn stats(&self) -> DecodeStats {
        DecodeStats {
            longest_attempt: self.longest.get(),
            budget: self.max_tokens,
            cut: self.cut.get(),
            threads: 0,
        }
    }
}

/// whisper.cpp's logits filter, called before each token is picked with the tokens decoded
/// so far in this attempt: at the budget, every logit but end-of-text's becomes -inf. (The
/// rules whisper applies afterwards only lower logits, and never end-of-text's past the first
/// token.)
unsafe extern "C" fn end_text_at_budget(
    ctx: *mut sys::whisper_context,
    _state: *mut sys::whisper_state,
    _tokens: *const sys::whisper_token_data,
    n_tokens: c_int,
    logits: *mut f32,
    user_data: *mut std::ffi::c_void,
) {
    if user_data.is_null() || ctx.is_null() || logits.is_null() {
        return;
    }
    // SAFETY: `install` passes a pointer to a `DecodeBudget` that outlives the call.
    let budget = unsafe { &*(user_data as *const DecodeBudget) };
    let decoded = usize::try_from(n_tokens).unwrap_or(0);
    budget.longest.set(budget.longest.get().max(decoded));
    if decoded < budget.max_tokens {
        return;
    }
    budget.cut.set(true);
    // SAFETY: `ctx` is the live context whisper.cpp is decoding with, and `logits` holds one
    // value per vocabulary entry (whisper_process_logits sizes it to the vocabulary).
    let (n_vocab, eot) = unsafe { (sys::whisper_n_vocab(ctx), sys::whisper_token_eot(ctx)) };
    let logits = unsafe { std::slice::from_raw_parts_mut(logits, n_vocab.max(0) as usize) };
    for (id, logit) in logits.iter_mut().enumerate() {
        if id as c_int != eot {
            *logit = f32::NEG_INFINITY;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_grows_with_the_clip_and_leaves_room_for_fast_speech() {
        assert_eq!(DecodeBudget::for_clip(0.0).max_tokens, BASE_TOKENS);
        assert_eq!(DecodeBudget::for_clip(1.0).max_tokens, 26);
        assert_eq!(DecodeBudget::for_clip(2.7).max_tokens, 43);
        // 250 words a minute is ~4.2 words (~5.5 tokens with punctuation and timestamps) a
        // second; the budget is at least 1.8x that for any clip length.
        for seconds in [1.0, 3.0, 10.0, 28.0] {
            let budget = DecodeBudget::for_clip(seconds).max_tokens as f64;
            assert!(budget >= 1.8 * 5.5 * seconds, "{seconds} s: {budget}");
        }
    }
}
