//! The worker thread: takes jobs from the queue in the order the module docs give (finals
//! first, then the one provisional job), runs each call into the speech model under
//! `catch_unwind`, and sends what came of it as [`SttEvent`]s.

use super::{EarlyFinal, FinalJob, PartialJob, Queue, Shared, StreamConfig, SttEvent, RATE};
use crate::transcribe::transcribe_piece;
use crate::EngineError;
use crossbeam_channel::Sender;
use rehearse_audio::Utterance;
use rehearse_core::Segment;
use rehearse_stt::{SpeechToText, SttError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;

enum Job {
    Final(FinalJob),
    Partial(PartialJob),
}

fn next_job(shared: &Shared) -> Option<Job> {
    let mut q = shared.lock();
    loop {
        if q.abandoned {
            return None;
        }
        if !q.gave_up {
            if let Some(f) = q.finals.pop_front() {
                q.final_running = matches!(f, FinalJob::Transcribe(_));
                return Some(Job::Final(f));
            }
            if let Some(p) = q.partial.take() {
                q.partial_running = true;
                // Under the lock: a final queued from now on cancels this partial.
                shared.cancel_partial.store(false, Ordering::Relaxed);
                return Some(Job::Partial(p));
            }
        }
        if q.closing {
            return None;
        }
        q = shared.wake.wait(q).unwrap_or_else(|e| e.into_inner());
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}

pub(super) fn run_worker(
    mut stt: Box<dyn SpeechToText>,
    shared: &Shared,
    tx: &Sender<SttEvent>,
    config: &StreamConfig,
) {
    let mut panics_in_a_row = 0u32;
    // The piece whose provisional line is showing, if any.
    let mut showing: Option<f64> = None;
    // The speculative final of the piece in progress, if one was made.
    let mut early: Option<EarlyFinal> = None;
    // Where the last final ended and its text: the context of a piece that continues it
    // (pieces of one utterance are contiguous; a new utterance starts afresh).
    let mut previous: Option<(f64, String)> = None;
    let context_for = |previous: &Option<(f64, String)>, t0: f64| {
        previous
            .as_ref()
            .filter(|(end, _)| (t0 - end).abs() < 1e-6)
            .map(|(_, text)| text.clone())
    };
    if config.final_threads > 0 {
        stt.set_final_threads(config.final_threads);
    }
    while let Some(job) = next_job(shared) {
        match job {
            Job::Final(FinalJob::Dropped { t0 }) => {
                early = None;
                if showing.take() == Some(t0) {
                    // Clears the provisional line of a piece that turned out to be noise.
                    let _ = tx.send(SttEvent::Final {
                        t0,
                        t1: t0,
                        segments: Vec::new(),
                    });
                }
            }
            Job::Final(FinalJob::Transcribe(u)) => {
                let t0 = u.t0;
                let t1 = u.t0 + u.samples.len() as f64 / RATE;
                showing = None;
                let context = context_for(&previous, t0);
                // The speculative pass saw all of this piece's speech: it is the final.
                let reused = early
                    .take()
                    .filter(|e| e.t0 == u.t0 && e.speech_len == u.speech_len);
                let outcome = match reused {
                    Some(e) => Ok(Ok(e.segments)),
                    None => catch_unwind(AssertUnwindSafe(|| {
                        transcribe_piece(stt.as_mut(), &u, context.as_deref())
                    })),
                };
                let event = match outcome {
                    Ok(Ok(segments)) => {
                        panics_in_a_row = 0;
                        previous = Some((t1, join_text(&segments)));
                        SttEvent::Final { t0, t1, segments }
                    }
                    Ok(Err(e)) => {
                        panics_in_a_row = 0;
                        tracing::warn!(error = %e, t0, t1, "transcription of a piece failed");
                        SttEvent::Failed {
                            t0,
                            t1,
                            message: format!(
                                "The speech from {t0:.1} s to {t1:.1} s could not be transcribed \
                                 ({e}); the recording keeps it."
                            ),
                        }
                    }
                    Err(payload) => {
                        panics_in_a_row += 1;
                        let why = panic_message(payload.as_ref());
                        tracing::error!(panic = %why, t0, t1, "the speech model panicked");
                        SttEvent::Failed {
                            t0,
                            t1,
                            message: format!(
                                "The transcriber crashed on the speech from {t0:.1} s to {t1:.1} s \
                                 ({why}); the recording keeps it, and transcription goes on."
                            ),
                        }
                    }
                };
                let _ = tx.send(event);
                let mut q = shared.lock();
                q.final_running = false;
                if panics_in_a_row >= config.max_panics_in_a_row.max(1) {
                    give_up(&mut q, tx, t0, t1, panics_in_a_row);
                }
            }
            Job::Partial(p) => {
                let t1 = p.t0 + p.samples.len() as f64 / RATE;
                let outcome = catch_unwind(AssertUnwindSafe(|| match p.early {
                    Some(speech_len) => {
                        let piece = Utterance {
                            t0: p.t0,
                            samples: p.samples.clone(),
                            speech_len,
                            speech_s: 0.0,
                        };
                        let context = context_for(&previous, p.t0);
                        transcribe_piece(stt.as_mut(), &piece, context.as_deref())
                    }
                    None if config.quick_partials => stt
                        .transcribe_partial(&p.samples)
                        .map_err(EngineError::from),
                    None => stt.transcribe(&p.samples).map_err(EngineError::from),
                }));
                let mut q = shared.lock();
                q.partial_running = false;
                match outcome {
                    Ok(Ok(segments)) => {
                        panics_in_a_row = 0;
                        let text = join_text(&segments);
                        if let Some(speech_len) = p.early {
                            early = Some(EarlyFinal {
                                t0: p.t0,
                                speech_len,
                                segments,
                            });
                        }
                        // Its final is already queued: the partial would only flicker.
                        let superseded = q.finals.iter().any(|f| f.t0() == p.t0);
                        if !text.is_empty() && !superseded {
                            showing = Some(p.t0);
                            let _ = tx.send(SttEvent::Partial { t0: p.t0, t1, text });
                        }
                    }
                    Ok(Err(EngineError::Stt(SttError::Cancelled))) => {
                        tracing::trace!(t0 = p.t0, "partial cancelled for a final");
                    }
                    Ok(Err(e)) => {
                        panics_in_a_row = 0;
                        // A missed partial is not worth a message: the final follows.
                        tracing::debug!(error = %e, "a partial transcription failed");
                    }
                    Err(payload) => {
                        panics_in_a_row += 1;
                        let why = panic_message(payload.as_ref());
                        tracing::error!(panic = %why, t0 = p.t0, "the speech model panicked on a partial");
                        if panics_in_a_row >= config.max_panics_in_a_row.max(1) {
                            give_up(&mut q, tx, p.t0, t1, panics_in_a_row);
                        }
                    }
                }
            }
        }
    }
}

fn give_up(q: &mut Queue, tx: &Sender<SttEvent>, t0: f64, t1: f64, panics: u32) {
    q.gave_up = true;
    q.finals.clear();
    q.partial = None;
    let _ = tx.send(SttEvent::Failed {
        t0,
        t1,
        message: format!(
            "The transcriber crashed {panics} times in a row and is off for the rest of this \
             session. The recording goes on; transcribe it again from Review afterwards."
        ),
    });
}

fn join_text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| s.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
