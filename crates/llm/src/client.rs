//! The one interface the interviewer sees.

use crate::error::LlmError;
use crate::types::{ChatRequest, ChatResponse};

/// A chat model. Object safe, so callers hold a `Box<dyn LlmClient>` or `Arc<dyn LlmClient>`.
pub trait LlmClient: Send + Sync {
    /// One complete answer.
    fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError>;

    /// The same, with each piece of text passed to `on_token` as it arrives. The returned
    /// response holds the whole text. A stream that stops before the model finished is
    /// [`LlmError::Truncated`].
    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError>;
}

impl<C: LlmClient + ?Sized> LlmClient for std::sync::Arc<C> {
    fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        (**self).chat(req)
    }
    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError> {
        (**self).chat_stream(req, on_token)
    }
}

impl<C: LlmClient + ?Sized> LlmClient for Box<C> {
    fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        (**self).chat(req)
    }
    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError> {
        (**self).chat_stream(req, on_token)
    }
}

impl<C: LlmClient + ?Sized> LlmClient for &C {
    fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        (**self).chat(req)
    }
    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError> {
        (**self).chat_stream(req, on_token)
    }
}
