//! Limits on how much one session may spend, and estimates for keeping prompts in a window.

use std::sync::Mutex;

use crate::client::LlmClient;
use crate::error::LlmError;
use crate::types::{ChatRequest, ChatResponse, Message, Role};

/// An ESTIMATE of a text's tokens: characters / 4, rounded up. Real tokenizers differ (about
/// 3-5 characters per token for English); use it for headroom decisions, never for billing.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
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
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_messages(&[Message::user("abcd")]), 5);
    }

    #[test]
    fn trims_oldest_but_keeps_system_and_newest() {
        let mut m = vec![
            Message::system("s"),
            Message::user("a".repeat(400)),
            Message::assistant("b".repeat(400)),
            Message::user("newest"),
        ];
        let dropped = trim_to_window(&mut m, 100);
        assert_eq!(dropped, 2);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].role, Role::System);
        assert_eq!(m[1].content, "newest");
    }
}
