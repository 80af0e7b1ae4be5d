//! Limits on how much one session may spend, and estimates for keeping prompts in a window.

use std::sync::Mutex;

use crate::client::LlmClient;
use crate::error::LlmError;
use crate::types::{ChatRequest, ChatResponse, Message, Role};

/// An ESTIMATE of a text's tokens for BPE tokenizers of the Llama/Qwen/GPT family: a run of
/// letters (with the space before it) is one token plus one per further 8 letters; every
/// digit, punctuation mark, newline and other whitespace run is one; any other character
/// (non-ASCII) is one. Measured against llama.cpp's `/tokenize` (SmolLM2-135M and
/// Qwen2.5-Coder-1.5B): a 45-minute transcript with timestamps +3% / +8%, English prose +6% /
/// +7%, text full of numbers -5% / -3%, Markdown and code +20% to +40% (chars / 4 was -13%
/// on the transcript and -60% on numbers). Callers keep a margin (see [`TokenCalibration`]).
pub fn estimate_tokens(text: &str) -> u64 {
    let mut tokens = 0u64;
    let mut letters = 0u64;
    let mut spaces = 0u64;
    let flush_letters = |letters: &mut u64, tokens: &mut u64| {
        if *letters > 0 {
            *tokens += 1 + (*letters - 1) / 8;
            *letters = 0;
        }
    };
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            if letters == 0 && spaces > 1 {
                // A run of spaces before a word: the last one joins the word.
                tokens += 1;
            }
            spaces = 0;
            letters += 1;
            continue;
        }
        flush_letters(&mut letters, &mut tokens);
        if c == ' ' || c == '\t' {
            spaces += 1;
            continue;
        }
        if spaces > 0 {
            // Spaces before a digit or a mark are a token of their own.
            tokens += 1;
            spaces = 0;
        }
        tokens += 1;
    }
    flush_letters(&mut letters, &mut tokens);
    if spaces > 0 {
        tokens += 1;
    }
    tokens
}

/// Learns how far [`estimate_tokens`] is off for the model in use, from the prompt token
/// counts the server reports (`usage.prompt_tokens`): `scale` is the largest ratio of real to
/// estimated tokens seen, never below 1 and at most 3, so prompts sized with it stay inside the
/// window even when this tokenizer is less efficient than the estimate assumes.
#[derive(Debug, Default)]
pub struct TokenCalibration {
    /// The ratio in thousandths (atomic, so a shared interviewer can update it).
    ratio_milli: std::sync::atomic::AtomicU64,
}

impl TokenCalibration {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one call: `estimated` prompt tokens by [`estimate_messages`], `actual` from the
    /// server.
    pub fn observe(&self, estimated: u64, actual: u64) {
        if estimated == 0 || actual == 0 {
            return;
        }
        let milli = (actual.saturating_mul(1000) / estimated).min(3000);
        self.ratio_milli
            .fetch_max(milli, std::sync::atomic::Ordering::Relaxed);
    }

    /// The factor to multiply estimates by (1.0 until a call showed they run low).
    pub fn scale(&self) -> f64 {
        let milli = self
            .ratio_milli
            .load(std::sync::atomic::Ordering::Relaxed)
            .max(1000);
        milli as f64 / 1000.0
    }

    /// `estimated` tokens, scaled and rounded up.
    pub fn apply(&self, estimated: u64) -> u64 {
        (estimated as f64 * self.scale()).ceil() as u64
    }
}

/// Estimated prompt tokens of a conversation: its texts plus ~4 tokens per message of framing.
pub fn estimate_messages(messages: &[Message]) -> u64 {
    messages
        .iter()
        .map(|m| estimate_tokens(&m.content) + 4)
        .sum()
}

/// Drops the oldest non-system messages until the estimate fits `max_prompt_tokens`; system
/// messages and the newest message always stay. Returns how many were dropped.
pub fn trim_to_window(messages: &mut Vec<Message>, max_prompt_tokens: u64) -> usize {
    let mut dropped = 0;
    while estimate_messages(messages) > max_prompt_tokens {
        let last = messages.len().saturating_sub(1);
        match messages.iter().position(|m| m.role != Role::System) {
            Some(i) if i < last => {
                messages.remove(i);
                dropped += 1;
            }
            _ => break,
        }
    }
    dropped
}

/// The most one session may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub max_calls: u32,
    pub max_tokens: u64,
}

/// What has been used so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spent {
    pub calls: u32,
    pub tokens: u64,
}

/// Wraps a client and refuses, with [`LlmError::BudgetExceeded`], any call that could take the
/// session over its budget: one more call, or the prompt estimate plus `max_tokens` (256 when
/// unset) on top of the tokens used. After a call it counts the server's usage figures, or
/// estimates when the server gave none. A failed call counts as a call but adds no tokens.
pub struct BudgetedClient<C> {
    inner: C,
    budget: Budget,
    spent: Mutex<Spent>,
}

const DEFAULT_COMPLETION_ESTIMATE: u64 = 256;

impl<C: LlmClient> BudgetedClient<C> {
    pub fn new(inner: C, budget: Budget) -> Self {
        Self {
            inner,
            budget,
            spent: Mutex::new(Spent::default()),
        }
    }

    pub fn spent(&self) -> Spent {
        *self.spent.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    fn reserve(&self, req: &ChatRequest) -> Result<(), LlmError> {
        let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        if spent.calls >= self.budget.max_calls {
            return Err(LlmError::BudgetExceeded(format!(
                "all {} calls are used; the offline interviewer takes over",
                self.budget.max_calls
            )));
        }
        let need = estimate_messages(&req.messages)
            + req
                .max_tokens
                .map_or(DEFAULT_COMPLETION_ESTIMATE, u64::from);
        if spent.tokens + need > self.budget.max_tokens {
            return Err(LlmError::BudgetExceeded(format!(
                "{} of {} tokens are used and this call may need about {need} more",
                spent.tokens, self.budget.max_tokens
            )));
        }
        spent.calls += 1;
        Ok(())
    }

    fn record(&self, req: &ChatRequest, result: &Result<ChatResponse, LlmError>) {
        if let Ok(resp) = result {
            let used = resp.usage.map_or_else(
                || estimate_messages(&req.messages) + estimate_tokens(&resp.text),
                |u| u.total(),
            );
            let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
            spent.tokens += used;
        }
    }
}

impl<C: LlmClient> LlmClient for BudgetedClient<C> {
    fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        self.reserve(req)?;
        let result = self.inner.chat(req);
        self.record(req, &result);
        result
    }

    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError> {
        self.reserve(req)?;
        let result = self.inner.chat_stream(req, on_token);
        self.record(req, &result);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcde"), 1);
        // "[", "1", "2", ".", "5", "s", "]", " We", " split", "...": digits and marks count one each.
        assert_eq!(estimate_tokens("[12.5s] We split"), 9);
        assert_eq!(estimate_tokens("internationalisation"), 3);
        assert_eq!(estimate_messages(&[Message::user("abcd")]), 5);
    }

    #[test]
    fn calibration_only_scales_up() {
        let c = TokenCalibration::new();
        assert_eq!(c.scale(), 1.0);
        c.observe(100, 80);
        assert_eq!(c.scale(), 1.0);
        c.observe(100, 125);
        assert_eq!(c.apply(100), 125);
        c.observe(100, 110);
        assert_eq!(c.scale(), 1.25);
        c.observe(10, 1000);
        assert_eq!(c.scale(), 3.0);
    }

    #[test]
    fn trims_oldest_but_keeps_system_and_newest() {
        let mut m = vec![
            Message::system("s"),
            Message::user("word ".repeat(100)),
            Message::assistant("word ".repeat(100)),
            Message::user("newest"),
        ];
        let dropped = trim_to_window(&mut m, 100);
        assert_eq!(dropped, 2);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].role, Role::System);
        assert_eq!(m[1].content, "newest");
    }
}
