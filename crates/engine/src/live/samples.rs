//! Live sessions fed from samples instead of the microphone, for tests and tools.

use super::{start, LiveInput, LiveSession};
use crate::{Engine, EngineError, EventSink};
use rehearse_audio::FeedEnd;

impl Engine {
    /// A live session fed from 16 kHz mono `samples` instead of the microphone (in real time,
    /// or as fast as they are taken): the same capture, recording, transcription and storing,
    /// for tests and tools that have no microphone.
    #[doc(hidden)]
    pub fn start_live_from_samples(
        &self,
        prompt_id: &str,
        samples: Vec<f32>,
        real_time: bool,
        events: EventSink,
    ) -> Result<LiveSession, EngineError> {
        self.start_live_from_samples_then(prompt_id, samples, real_time, FeedEnd::StayOpen, events)
    }

    /// [`start_live_from_samples`](Self::start_live_from_samples) with what the "device" does
    /// once the samples are used: stay open and quiet, or go dead as a microphone whose
    /// sound server died (for tests of a lost microphone without one).
    #[doc(hidden)]
    pub fn start_live_from_samples_then(
        &self,
        prompt_id: &str,
        samples: Vec<f32>,
        real_time: bool,
        end: FeedEnd,
        events: EventSink,
    ) -> Result<LiveSession, EngineError> {
        let input = LiveInput::Samples {
            samples,
            real_time,
            end,
        };
        start(self, prompt_id, events, input)
    }
}
