//! Live transcription of a 16 kHz mono stream: pause detection cuts it into utterances, one
//! worker thread transcribes them, and the caller gets provisional text for the speech in
//! progress (`SttEvent::Partial`) and final text as soon as a pause allows (`SttEvent::Final`).
//!
//! Finals come piece by piece, so that what is left when the candidate stops is bounded,
//! whatever the answer's length, and nothing is transcribed twice. Pause detection ends an
//! utterance after a natural pause (`end_silence_s`, 0.7 s: the interviewer's notion of a
//! pause builds on it). Inside an utterance, a shorter pause (`commit_after_pause_s`, 0.3 s:
//! between sentences) *commits* the speech before it once there are `min_piece_speech_s`
//! (6 s) of it: that piece, which ends in silence, goes straight to the final queue, and the
//! utterance goes on from there. Speech that runs on for `max_piece_s` (20 s) without such a
//! pause is committed anyway. A piece continuing the one before it gets that piece's text as
//! whisper's prompt, as whisper does between its own windows.
//!
//! Pieces shorter than that get a speculative pass instead, once a pause reaches
//! `early_final_after_s` (0.2 s): the full-quality transcription of the piece so far, which
//! *is* the final if the pause ends the utterance (the rest is silence), and is dropped if
//! speech resumes. Either way the final text of the last piece is ready about one whisper
//! call after the pause began.
//!
//! Why not commit every sentence: whisper hears the first words of a clip that starts cold
//! worse. Fed the benchmark's 171.5 s of espeak-ng answers (`--example piece_wer`, tiny.en), the
//! finals' WER was 9.5% with one final per utterance, 13.7% committing at every 0.2 s pause,
//! 12.1% at every 0.3 s pause, 11.2% with the previous text as prompt, and 10.6% with the
//! 6 s minimum as well. Re-hearing the end of the previous piece's audio and dropping its
//! words by their timings did worse (19-25%): whisper's token timings are too loose for it.
//!
//! Scheduling, in the worker's order of preference:
//! 1. Finals, oldest first: every piece is transcribed exactly once, at full quality, and
//!    nothing finalised is handed to the speech model again.
//! 2. One provisional job: a single latest-only slot holds the newest request for the piece
//!    in progress, a partial (about every `partial_every_s` of new speech) or a speculative
//!    final. A partial request that is still waiting is renewed with the latest audio every
//!    `PARTIAL_REFRESH_S` of new speech, so it starts from what was said by then. A newer
//!    request replaces an older one that has not started, a queued final drops
//!    it, and a final or speculative final that arrives while a partial runs cancels that
//!    partial (`SpeechToText::set_partial_cancel`), so nothing queues up behind a slow model
//!    and a final never waits for text it would replace.
//!
//! Finals run on `final_threads` CPU threads (every core, at most 8), partials on the model's
//! own setting (one of two cores): finals are short bursts at pauses, when no partial is
//! wanted, and are the text the candidate waits for. On the benchmark's speech (2 cores,
//! tiny.en) that took the final after Stop of the 2-minute answer from 0.94-0.99 s to
//! 0.71-0.82 s and the slowest final after a pause from 1.2-1.3 s to 0.8-0.9 s.
//!
//! # Panics in the speech model stay in this worker
//! Every call into the model runs under `catch_unwind`. A panic (whisper-rs panics on some
//! inputs, e.g. interior NULs in a prompt) becomes `SttEvent::Failed` for that stretch, and
//! the worker goes on with the next piece; after `max_panics_in_a_row` panics in a row it
//! stops transcribing for the rest of the stream and says so once. The recording never
//! depends on this thread: the capture side writes the WAV itself (`rehearse_audio::MicCapture`).
//!
//! In-process rather than a child process, because: a Rust panic is caught here at no cost,
//! while a child process would have to load the model a second time (~75-500 MB, seconds of
//! start-up), copy every utterance over a pipe, and be restarted and watched. What a child
//! process would add is survival of a C-level abort or segfault inside whisper.cpp; such a
//! crash kills the whole app like `kill -9`, and that case is already covered: the WAV on disk
//! is repaired and the session recovered with its transcript so far at the next start
//! (`crate::recovery`, tested by killing the CLI mid-recording in
//! `crates/cli/tests/it/recovery.rs`). `SpeechToText` is a trait, so a child-process backend
//! can be put behind it later without touching this scheduler.

use crate::EngineError;
use crossbeam_channel::{unbounded, Receiver};
use rehearse_audio::{Endpointer, EndpointerConfig, Utterance, TARGET_RATE};
use rehearse_core::Segment;
use rehearse_stt::SpeechToText;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use worker::run_worker;

mod worker;

const RATE: f64 = TARGET_RATE as f64;

/// A partial request still waiting in the slot (the worker is busy with a final) is brought
/// up to date each time this much more speech has arrived, so that when it starts it covers
/// the audio of that moment, not of the moment it was asked for.
const PARTIAL_REFRESH_S: f64 = 0.25;

/// How a [`LiveTranscriber`] cuts and schedules the stream.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// Pause detection: where utterances end (and so where the last piece of each is cut).
    pub endpoint: EndpointerConfig,
    /// A partial for the piece in progress after about this many seconds of new speech
    /// (when the worker is free). `f64::INFINITY` turns partials off.
    pub partial_every_s: f64,
    /// Partials use the backend's quick mode (`SpeechToText::transcribe_partial`: whisper's
    /// encoder sized to the clip instead of its 30 s window); false uses full quality.
    pub quick_partials: bool,
    /// After this many panics in a row the worker stops transcribing for the rest of the
    /// stream (a model that panics on everything would otherwise fail every utterance).
    pub max_panics_in_a_row: u32,
    /// A pause this long inside an utterance commits the speech before it to a final (see
    /// the module docs). `f64::INFINITY` turns commits off: one final per utterance.
    pub commit_after_pause_s: f64,
    /// Speech running on this long without a pause that commits it is committed anyway, so
    /// that no piece outgrows what one whisper call handles well (its 30 s window).
    pub max_piece_s: f64,
    /// A pause commits only a piece with at least this much speech (seconds of speech
    /// frames): whisper hears the first words of a clip worse than the same words inside a
    /// longer one, so short pieces wait for the next pause (see the module docs for the
    /// figures).
    pub min_piece_speech_s: f64,
    /// A pause this long starts the full-quality pass of a piece too short to commit, as a
    /// speculative final: it becomes the final if the pause ends the utterance, and is
    /// dropped if speech resumes. `f64::INFINITY` turns this off.
    pub early_final_after_s: f64,
    /// CPU threads for finals (commits, speculative finals, the tail after Stop), when more
    /// than the model's own setting (`SpeechToText::set_final_threads`); 0 keeps that
    /// setting. Finals are the text the candidate waits for, and short bursts at pauses,
    /// when no partial is wanted; partials, which run all through speech, keep the model's
    /// setting (on 2 cores, one, leaving the other to capture and the UI). Default: every
    /// core, at most 8.
    pub final_threads: usize,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            endpoint: EndpointerConfig {
                // Pieces are bounded by `max_piece_s` instead: a cut here would fall wherever
                // the utterance reached 20 s, often mid-word just after a commit.
                max_utterance_s: 600.0,
                ..EndpointerConfig::default()
            },
            partial_every_s: 1.0,
            quick_partials: true,
            max_panics_in_a_row: 3,
            commit_after_pause_s: 0.3,
            max_piece_s: 20.0,
            min_piece_speech_s: 6.0,
            early_final_after_s: 0.2,
            final_threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
        }
    }
}

/// What the transcriber reports, in the order it happened. Times are seconds from the start
/// of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum SttEvent {
    /// Provisional text of the piece that began at `t0`, covering audio up to `t1`
    /// (`now_s() - t1` when it arrives is the partial's lag behind speech). Replaced by the
    /// next partial or by the piece's final.
    Partial { t0: f64, t1: f64, text: String },
    /// The final text of the piece `t0..t1` (the pause that ended it included); `segments`
    /// may be empty when nothing was said after all (a cough, noise).
    Final {
        t0: f64,
        t1: f64,
        segments: Vec<Segment>,
    },
    /// The piece `t0..t1` could not be transcribed (an error or a panic in the speech
    /// model). The audio is still in the recording. Also sent once, with the span of the
    /// piece it happened on, when the worker gives up after repeated panics.
    Failed { t0: f64, t1: f64, message: String },
}

struct PartialJob {
    t0: f64,
    samples: Vec<f32>,
    /// `Some(speech_len)`: a speculative final of a piece whose first `speech_len` samples
    /// are speech (the rest is the pause so far); `None`: a partial.
    early: Option<usize>,
}

/// The full-quality text of a piece in progress, kept until its final.
struct EarlyFinal {
    t0: f64,
    speech_len: usize,
    segments: Vec<Segment>,
}

/// What the worker owes the caller, in order.
enum FinalJob {
    /// A piece of speech that ends in a pause: an utterance, or the part of one since its
    /// last commit.
    Transcribe(Utterance),
    /// Pause detection dropped the piece that began at `t0` (too little speech: a click,
    /// a cough); a provisional line may be showing for it.
    Dropped { t0: f64 },
}

impl FinalJob {
    fn t0(&self) -> f64 {
        match self {
            FinalJob::Transcribe(u) => u.t0,
            FinalJob::Dropped { t0 } => *t0,
        }
    }
}

#[derive(Default)]
struct Queue {
    finals: VecDeque<FinalJob>,
    partial: Option<PartialJob>,
    /// The worker is transcribing a final (it has left `finals`, its event is not sent yet).
    final_running: bool,
    /// The worker is transcribing a partial (a queued final cancels it).
    partial_running: bool,
    /// No more audio: finish the finals, then stop.
    closing: bool,
    /// Stop after the job in hand (the transcriber was dropped without `finish`).
    abandoned: bool,
    /// The worker stopped transcribing after repeated panics.
    gave_up: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
    /// Handed to the speech model: set, it abandons the partial in progress.
    cancel_partial: Arc<AtomicBool>,
}

impl Shared {
    /// The lock is never held across a call into the model, and the worker catches panics, so
    /// a poisoned lock only means a panic elsewhere; the queue itself is still consistent.
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// How much of the utterance in progress has been committed to a final.
#[derive(Debug, Clone, Copy)]
struct Committed {
    utterance_t0: f64,
    /// Samples of the utterance already in a final.
    len: usize,
    /// Seconds of speech in them.
    speech_s: f64,
}

/// Transcribes a live 16 kHz stream on its own worker thread. Independent of the microphone:
/// the caller pushes samples (from capture, a file, a benchmark) and reads [`SttEvent`]s.
pub struct LiveTranscriber {
    endpointer: Endpointer,
    config: StreamConfig,
    shared: Arc<Shared>,
    worker: Option<JoinHandle<()>>,
    /// A clone of the caller's receiver, so `finish` can hand back what is left.
    events: Receiver<SttEvent>,
    /// The piece (by start) and the utterance's speech length when the last partial was
    /// requested.
    last_partial: Option<(f64, usize)>,
    /// The same, for the last speculative final.
    last_early: Option<(f64, usize)>,
    committed: Option<Committed>,
    finals_queued: u64,
}

impl LiveTranscriber {
    /// Starts the worker thread, which owns `stt` from now on.
    pub fn start(
        mut stt: Box<dyn SpeechToText>,
        config: StreamConfig,
    ) -> Result<(LiveTranscriber, Receiver<SttEvent>), EngineError> {
        let (tx, rx) = unbounded();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
            cancel_partial: Arc::new(AtomicBool::new(false)),
        });
        stt.set_partial_cancel(shared.cancel_partial.clone());
        let worker = {
            let shared = shared.clone();
            let config = config.clone();
            std::thread::Builder::new()
                .name("stt".into())
                .spawn(move || run_worker(stt, &shared, &tx, &config))
                .map_err(|e| {
                    EngineError::SessionThread(format!("could not start the transcriber: {e}"))
                })?
        };
        Ok((
            LiveTranscriber {
                endpointer: Endpointer::new(config.endpoint.clone()),
                config,
                shared,
                worker: Some(worker),
                events: rx.clone(),
                last_partial: None,
                last_early: None,
                committed: None,
                finals_queued: 0,
            },
            rx,
        ))
    }

    /// Hands 16 kHz mono samples to pause detection. Never waits for the speech model:
    /// pieces are queued for their final, and a partial is requested when one is due.
    pub fn push(&mut self, samples_16k: &[f32]) {
        let before = self.endpointer.current().map(|u| u.t0);
        let closed = self.endpointer.push(samples_16k);
        let mut jobs: Vec<FinalJob> = Vec::new();
        if let Some(t0) = before {
            let still_open = self.endpointer.current().is_some_and(|u| u.t0 == t0);
            let asked = self.last_partial.is_some_and(|(at, _)| at == t0);
            if !still_open && !closed.iter().any(|u| u.t0 == t0) && asked {
                jobs.push(FinalJob::Dropped { t0 });
            }
        }
        for u in closed {
            jobs.extend(self.last_piece(u));
        }
        self.queue_finals(jobs);
        self.commit_or_request_partial();
    }

    /// Where the uncommitted part of `u` starts: (samples, seconds of speech before it).
    fn committed_in(&self, u: &Utterance) -> (usize, f64) {
        match self.committed {
            Some(c) if c.utterance_t0 == u.t0 => (c.len.min(u.samples.len()), c.speech_s),
            _ => (0, 0.0),
        }
    }

    /// What is left of a closed utterance after its commits: nothing when it ended with the
    /// pause that made the last commit, or too little speech (a click after the last
    /// sentence), in which case a provisional line showing for it is withdrawn.
    fn last_piece(&mut self, u: Utterance) -> Option<FinalJob> {
        let (from, speech_before) = self.committed_in(&u);
        if self.committed.is_some_and(|c| c.utterance_t0 == u.t0) {
            self.committed = None;
        }
        if from == 0 {
            return Some(FinalJob::Transcribe(u));
        }
        let t0 = u.t0 + from as f64 / RATE;
        let speech_s = u.speech_s - speech_before;
        if u.speech_len <= from || speech_s < self.endpointer.config().min_speech_s {
            let shown = self.last_partial.is_some_and(|(at, _)| at == t0);
            return shown.then_some(FinalJob::Dropped { t0 });
        }
        Some(FinalJob::Transcribe(Utterance {
            t0,
            samples: u.samples[from..].to_vec(),
            speech_len: u.speech_len - from,
            speech_s,
        }))
    }

    fn queue_finals(&mut self, jobs: Vec<FinalJob>) {
        if jobs.is_empty() {
            return;
        }
        self.finals_queued += jobs
            .iter()
            .filter(|j| matches!(j, FinalJob::Transcribe(_)))
            .count() as u64;
        let mut q = self.shared.lock();
        for job in jobs {
            if q.partial.as_ref().is_some_and(|p| p.t0 <= job.t0()) {
                q.partial = None;
            }
            q.finals.push_back(job);
        }
        // The partial in hand is for speech these finals cover: its text would be replaced
        // at once, and the final would wait for it.
        if q.partial_running {
            self.shared.cancel_partial.store(true, Ordering::Relaxed);
        }
        drop(q);
        self.shared.wake.notify_one();
    }

    fn commit_or_request_partial(&mut self) {
        let Some(u) = self.endpointer.current() else {
            return;
        };
        let (from, speech_before) = self.committed_in(u);
        let piece_t0 = u.t0 + from as f64 / RATE;
        let pause = self.endpointer.silence_run_s();
        let piece_s = (u.samples.len() - from) as f64 / RATE;
        if pause > 0.0 || piece_s >= self.config.max_piece_s {
            let new_speech_s = u.speech_s - speech_before;
            let has_speech =
                u.speech_len > from && new_speech_s >= self.endpointer.config().min_speech_s;
            let commit = piece_s >= self.config.max_piece_s
                || (pause >= self.config.commit_after_pause_s
                    && new_speech_s >= self.config.min_piece_speech_s);
            let piece = || Utterance {
                t0: piece_t0,
                samples: u.samples[from..].to_vec(),
                speech_len: u.speech_len - from,
                speech_s: new_speech_s,
            };
            if has_speech && commit {
                let piece = piece();
                self.committed = Some(Committed {
                    utterance_t0: u.t0,
                    len: u.samples.len(),
                    speech_s: u.speech_s,
                });
                self.queue_finals(vec![FinalJob::Transcribe(piece)]);
            } else if has_speech
                && pause >= self.config.early_final_after_s
                && self.last_early != Some((piece_t0, u.speech_len))
            {
                self.last_early = Some((piece_t0, u.speech_len));
                let piece = piece();
                self.offer(PartialJob {
                    t0: piece.t0,
                    early: Some(piece.speech_len),
                    samples: piece.samples,
                });
            }
            return;
        }
        let since = match self.last_partial {
            Some((t0, len)) if t0 == piece_t0 => len,
            _ => from,
        };
        let new_speech_s = u.speech_len.saturating_sub(since) as f64 / RATE;
        let due = new_speech_s >= self.config.partial_every_s
            || (new_speech_s >= PARTIAL_REFRESH_S && self.partial_waiting(piece_t0));
        if !due {
            return;
        }
        let job = PartialJob {
            t0: piece_t0,
            samples: u.samples[from..u.speech_len].to_vec(),
            early: None,
        };
        self.last_partial = Some((piece_t0, u.speech_len));
        self.offer(job);
    }

    /// The slot holds a partial of the piece at `t0` that has not started yet.
    fn partial_waiting(&self, t0: f64) -> bool {
        let q = self.shared.lock();
        q.partial
            .as_ref()
            .is_some_and(|p| p.early.is_none() && p.t0 == t0)
    }

    /// Puts a partial or speculative final in the latest-only slot.
    fn offer(&self, job: PartialJob) {
        let mut q = self.shared.lock();
        if q.gave_up {
            return;
        }
        // A speculative final covers all the speech the partial in hand is working on.
        if job.early.is_some() && q.partial_running {
            self.shared.cancel_partial.store(true, Ordering::Relaxed);
        }
        // Latest only: an older request that has not started is replaced, never queued.
        q.partial = Some(job);
        drop(q);
        self.shared.wake.notify_one();
    }

    /// Seconds of audio pushed so far: the stream's clock.
    pub fn now_s(&self) -> f64 {
        self.endpointer.now_s()
    }

    /// When speech last ended (a natural pause is going on), `None` while speaking.
    pub fn last_speech_end_s(&self) -> Option<f64> {
        self.endpointer.last_speech_end_s()
    }

    pub fn in_speech(&self) -> bool {
        self.endpointer.in_speech()
    }

    /// Pieces whose final event has not been sent yet. Read this before draining the
    /// receiver: once it is 0, every final so far is already in the channel.
    pub fn pending_finals(&self) -> usize {
        let q = self.shared.lock();
        if q.gave_up {
            return 0;
        }
        let queued = q
            .finals
            .iter()
            .filter(|f| matches!(f, FinalJob::Transcribe(_)))
            .count();
        queued + usize::from(q.final_running)
    }

    /// Pieces queued for a final so far (each gets one `Final` or `Failed`, unless the
    /// worker gave up).
    pub fn finals_queued(&self) -> u64 {
        self.finals_queued
    }

    /// Ends the stream: what is left of the utterance in progress (the tail) is queued for
    /// its final, the worker finishes every final and stops, and the events not yet received
    /// are returned.
    pub fn finish(mut self) -> Vec<SttEvent> {
        let tail = self.endpointer.finish();
        let last = tail.and_then(|u| self.last_piece(u));
        if let Some(job) = last {
            self.queue_finals(vec![job]);
        }
        {
            let mut q = self.shared.lock();
            q.partial = None;
            q.closing = true;
        }
        self.shared.wake.notify_one();
        let mut left = Vec::new();
        if let Some(worker) = self.worker.take() {
            if worker.join().is_err() {
                // Only reachable through a panic outside the guarded model calls.
                left.push(SttEvent::Failed {
                    t0: 0.0,
                    t1: self.now_s(),
                    message: "The transcriber stopped unexpectedly; the recording is kept and \
                              can be transcribed again from Review."
                        .into(),
                });
            }
        }
        let mut events: Vec<SttEvent> = self.events.try_iter().collect();
        events.extend(left);
        events
    }
}

impl Drop for LiveTranscriber {
    fn drop(&mut self) {
        if self.worker.is_some() {
            let mut q = self.shared.lock();
            q.abandoned = true;
            q.partial = None;
            drop(q);
            self.shared.cancel_partial.store(true, Ordering::Relaxed);
            self.shared.wake.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    //! Scheduling tests with a stand-in speech model that counts the samples it is handed
    //! (and can be slow or panic on cue); the real model is exercised in
    //! `tests/it/live_transcriber.rs`.
    use super::*;
    use rehearse_stt::SttError;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Call {
        Full(usize),
        Partial(usize),
    }

    #[derive(Clone, Default)]
    struct Calls(Arc<Mutex<Vec<Call>>>);

    impl Calls {
        fn all(&self) -> Vec<Call> {
            self.0.lock().unwrap().clone()
        }
    }

    /// Answers "n<samples>" after `delay`; panics on the calls numbered in `panic_on` (1-based).
    /// Partials end early with `SttError::Cancelled` when the cancel flag is set.
    struct CountingStt {
        calls: Calls,
        delay: Duration,
        partial_delay: Duration,
        panic_on: Vec<usize>,
        n: Arc<AtomicUsize>,
        cancel: Option<Arc<AtomicBool>>,
        /// Threads for finals (`set_final_threads`; partials use 1), and the count each
        /// call was made with.
        final_threads: usize,
        threads_log: Arc<Mutex<Vec<(Call, usize)>>>,
    }

    impl CountingStt {
        fn new(delay_ms: u64, panic_on: Vec<usize>) -> (Self, Calls) {
            let calls = Calls::default();
            (
                CountingStt {
                    calls: calls.clone(),
                    delay: Duration::from_millis(delay_ms),
                    partial_delay: Duration::from_millis(delay_ms),
                    panic_on,
                    n: Arc::default(),
                    cancel: None,
                    final_threads: 1,
                    threads_log: Arc::default(),
                },
                calls,
            )
        }

        fn answer(&mut self, call: Call, len: usize) -> Result<Vec<Segment>, SttError> {
            let n = self.n.fetch_add(1, Ordering::SeqCst) + 1;
            self.calls.0.lock().unwrap().push(call);
            let threads = match call {
                Call::Full(_) => self.final_threads.max(1),
                Call::Partial(_) => 1,
            };
            self.threads_log.lock().unwrap().push((call, threads));
            if let Call::Partial(_) = call {
                let until = std::time::Instant::now() + self.partial_delay;
                while std::time::Instant::now() < until {
                    if self
                        .cancel
                        .as_ref()
                        .is_some_and(|c| c.load(Ordering::Relaxed))
                    {
                        return Err(SttError::Cancelled);
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            } else {
                std::thread::sleep(self.delay);
            }
            if self.panic_on.contains(&n) {
                panic!("stand-in model fault on call {n}");
            }
            Ok(vec![Segment {
                t0: 0.0,
                t1: len as f64 / RATE,
                text: format!("n{len}"),
                words: Vec::new(),
            }])
        }
    }

    impl SpeechToText for CountingStt {
        fn transcribe(&mut self, samples: &[f32]) -> Result<Vec<Segment>, SttError> {
            self.answer(Call::Full(samples.len()), samples.len())
        }
        fn transcribe_partial(&mut self, samples: &[f32]) -> Result<Vec<Segment>, SttError> {
            self.answer(Call::Partial(samples.len()), samples.len())
        }
        fn set_partial_cancel(&mut self, flag: Arc<AtomicBool>) {
            self.cancel = Some(flag);
        }
        fn set_final_threads(&mut self, threads: usize) {
            self.final_threads = threads;
        }
        fn model_name(&self) -> &str {
            "counting"
        }
    }

    fn tone(secs: f64) -> Vec<f32> {
        (0..(secs * RATE) as usize)
            .map(|i| (i as f32 * 0.1).sin() * 0.3)
            .collect()
    }

    fn silence(secs: f64) -> Vec<f32> {
        vec![0.0; (secs * RATE) as usize]
    }

    /// Speech of these lengths, each followed by 1.5 s of pause, after 0.5 s of silence.
    fn talk(speech_s: &[f64]) -> Vec<f32> {
        let mut audio = silence(0.5);
        for &s in speech_s {
            audio.extend(tone(s));
            audio.extend(silence(1.5));
        }
        audio
    }

    /// The utterances pause detection alone cuts from `audio`.
    fn utterances(audio: &[f32], config: &EndpointerConfig) -> Vec<Utterance> {
        Endpointer::cut(audio, config.clone())
    }

    /// Pushes `audio` in 100 ms chunks, `speedup` times faster than real time.
    fn feed(t: &mut LiveTranscriber, audio: &[f32], speedup: f64) {
        for chunk in audio.chunks(1_600) {
            t.push(chunk);
            std::thread::sleep(Duration::from_secs_f64(0.1 / speedup));
        }
    }

    fn finals(events: &[SttEvent]) -> Vec<(f64, f64, Vec<Segment>)> {
        events
            .iter()
            .filter_map(|e| match e {
                SttEvent::Final { t0, t1, segments } => Some((*t0, *t1, segments.clone())),
                _ => None,
            })
            .collect()
    }

    fn collect(rx: &Receiver<SttEvent>, t: LiveTranscriber) -> Vec<SttEvent> {
        let mut events: Vec<SttEvent> = rx.try_iter().collect();
        events.extend(t.finish());
        events
    }

    /// No partials, no commits, no speculative finals: one model call per utterance.
    fn finals_only() -> StreamConfig {
        StreamConfig {
            partial_every_s: f64::INFINITY,
            commit_after_pause_s: f64::INFINITY,
            early_final_after_s: f64::INFINITY,
            ..Default::default()
        }
    }

    fn full_calls(calls: &Calls) -> Vec<usize> {
        calls
            .all()
            .iter()
            .filter_map(|c| match c {
                Call::Full(n) => Some(*n),
                _ => None,
            })
            .collect()
    }

    /// Feeds `audio` in real time (20 ms chunks) and notes, on the audio clock, when each
    /// final arrived.
    fn feed_real_time(
        t: &mut LiveTranscriber,
        rx: &Receiver<SttEvent>,
        audio: &[f32],
    ) -> (Vec<SttEvent>, Vec<f64>) {
        let mut events = Vec::new();
        let mut final_at = Vec::new();
        for chunk in audio.chunks(320) {
            t.push(chunk);
            std::thread::sleep(Duration::from_millis(20));
            for e in rx.try_iter() {
                if matches!(e, SttEvent::Final { .. }) {
                    final_at.push(t.now_s());
                }
                events.push(e);
            }
        }
        (events, final_at)
    }

    /// 1 s of speech, a 0.4 s pause (too short to end the utterance), 1 s more, then a
    /// pause that ends it.
    fn speech_a_short_pause_speech() -> Vec<f32> {
        let mut audio = silence(0.5);
        audio.extend(tone(1.0));
        audio.extend(silence(0.4));
        audio.extend(tone(1.0));
        audio.extend(silence(1.5));
        audio
    }

    #[test]
    fn a_short_pause_commits_the_speech_before_it_without_ending_the_utterance() {
        // 1 s of speech, a 0.4 s pause (too short to end the utterance), 1 s more, then a
        // pause that ends it. The model is slow (0.3 s a call), like whisper on one core.
        // Pieces of 0.5 s of speech may be committed here (the default wants 6 s).
        let audio = speech_a_short_pause_speech();
        let config = StreamConfig {
            partial_every_s: f64::INFINITY,
            min_piece_speech_s: 0.5,
            ..Default::default()
        };
        let expected = utterances(&audio, &config.endpoint);
        assert_eq!(expected.len(), 1, "pause detection sees one utterance");
        let (stt, calls) = CountingStt::new(300, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        let (mut events, final_at) = feed_real_time(&mut t, &rx, &audio);
        events.extend(t.finish());
        // Two pieces, each transcribed once, together exactly the utterance: the first ends
        // in the short pause, the second runs to the end of the utterance's trailing pause.
        let full = full_calls(&calls);
        assert_eq!(full.len(), 2, "{full:?}");
        let got = finals(&events);
        assert_eq!(got.len(), 2, "{events:?}");
        assert!((got[0].0 - expected[0].t0).abs() < 1e-9);
        assert!((got[1].0 - got[0].1).abs() < 1e-3, "pieces are contiguous");
        for (f, n) in got.iter().zip(&full) {
            assert_eq!(f.2[0].text, format!("n{n}"));
        }
        let first_speech = 0.5 + 1.0;
        assert!(
            full[0] as f64 / RATE > first_speech - expected[0].t0
                && (full[0] as f64 / RATE) < first_speech - expected[0].t0 + 0.4,
            "the first piece ends inside the short pause: {} samples",
            full[0]
        );
        // Each final is ready one model call after its pause began, long before pause
        // detection would end the utterance (0.7 s).
        assert_eq!(
            final_at.len(),
            2,
            "both finals arrived while audio was coming"
        );
        let speech_ends = [first_speech, 0.5 + 1.0 + 0.4 + 1.0];
        for (at, end) in final_at.iter().zip(speech_ends) {
            assert!(
                *at < end + 0.3 + 0.3 + 0.15,
                "final at {at:.2} s for speech that ended at {end:.2} s"
            );
        }
    }

    #[test]
    fn a_final_cancels_the_partial_in_progress_instead_of_waiting_for_it() {
        // A partial is asked for after 0.5 s of speech and would take 3 s; the speech ends
        // at 2.0 s. The final must not wait for the partial to finish (at ~3.5 s).
        let mut audio = silence(0.5);
        audio.extend(tone(1.5));
        audio.extend(silence(1.5));
        let config = StreamConfig {
            partial_every_s: 0.5,
            min_piece_speech_s: 0.5,
            ..Default::default()
        };
        let (mut stt, calls) = CountingStt::new(50, vec![]);
        stt.partial_delay = Duration::from_secs(3);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        let (mut events, final_at) = feed_real_time(&mut t, &rx, &audio);
        events.extend(t.finish());
        assert!(
            calls.all().iter().any(|c| matches!(c, Call::Partial(_))),
            "a partial was started"
        );
        // The cancelled partial (of the speech's first second or so) shows nothing; the
        // speculative pass at 0.2 s of pause may show its text until the commit's final.
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, SttEvent::Partial { t1, .. } if *t1 < 2.0)),
            "the cancelled partial shows nothing: {events:?}"
        );
        assert_eq!(finals(&events).len(), 1);
        let at = final_at
            .first()
            .copied()
            .expect("the final came while audio was coming");
        assert!(at < 2.0 + 0.3 + 0.3, "final at {at:.2} s");
    }

    #[test]
    fn a_short_piece_gets_a_speculative_pass_that_is_its_final_unless_speech_resumes() {
        // As above, with the default minimum piece (6 s of speech): nothing is committed at
        // the short pause; each pause starts a speculative pass instead. The first is dropped
        // when speech resumes, the second is the final: no model call after the utterance
        // closed.
        let audio = speech_a_short_pause_speech();
        let config = StreamConfig {
            partial_every_s: f64::INFINITY,
            ..Default::default()
        };
        let expected = utterances(&audio, &config.endpoint);
        let (stt, calls) = CountingStt::new(300, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        let (mut events, final_at) = feed_real_time(&mut t, &rx, &audio);
        events.extend(t.finish());
        let full = full_calls(&calls);
        assert_eq!(full.len(), 2, "{full:?}");
        assert!(full[1] > full[0] && full[1] < expected[0].samples.len());
        let got = finals(&events);
        assert_eq!(got.len(), 1, "{events:?}");
        assert_eq!(got[0].2[0].text, format!("n{}", full[1]));
        let closed_at = expected[0].t0 + expected[0].samples.len() as f64 / RATE;
        let at = final_at
            .first()
            .copied()
            .expect("the final came while audio was coming");
        assert!(
            at <= closed_at + 0.1,
            "final at {at:.2} s, utterance closed at {closed_at:.2} s"
        );
    }

    #[test]
    fn speech_without_pauses_is_committed_in_pieces_of_at_most_max_piece_s() {
        let audio = talk(&[25.0]);
        let config = StreamConfig {
            partial_every_s: f64::INFINITY,
            ..Default::default()
        };
        let (stt, calls) = CountingStt::new(0, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        feed(&mut t, &audio, 50.0);
        let events = collect(&rx, t);
        let full = full_calls(&calls);
        assert_eq!(full.len(), 2, "{full:?}");
        let piece_s = full[0] as f64 / RATE;
        assert!(
            (20.0..20.2).contains(&piece_s),
            "first piece {piece_s:.2} s"
        );
        let got = finals(&events);
        assert_eq!(got.len(), 2);
        assert!((got[1].0 - got[0].1).abs() < 1e-3, "pieces are contiguous");
    }

    #[test]
    fn finals_get_the_final_threads_and_partials_keep_the_models_setting() {
        // Two utterances with partials, the second still going on when the stream ends.
        let mut audio = talk(&[3.0]);
        audio.extend(tone(3.0));
        let config = StreamConfig {
            final_threads: 4,
            ..Default::default()
        };
        let (stt, _calls) = CountingStt::new(0, vec![]);
        let log = stt.threads_log.clone();
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        feed(&mut t, &audio, 5.0);
        let events = collect(&rx, t);
        assert_eq!(finals(&events).len(), 2);
        let log = log.lock().unwrap().clone();
        assert!(
            log.iter().any(|(c, _)| matches!(c, Call::Partial(_))),
            "{log:?}"
        );
        assert!(
            log.iter().any(|(c, _)| matches!(c, Call::Full(_))),
            "{log:?}"
        );
        for (call, threads) in &log {
            let want = if matches!(call, Call::Full(_)) { 4 } else { 1 };
            assert_eq!(*threads, want, "{call:?} in {log:?}");
        }
    }

    #[test]
    fn a_click_gets_no_provisional_text_or_has_it_withdrawn() {
        // 0.12 s of sound: with the default min_speech_s (0.25 s) pause detection drops it,
        // so nothing is committed and nothing shows.
        let mut audio = silence(0.5);
        audio.extend(tone(0.12));
        audio.extend(silence(1.5));
        let (stt, calls) = CountingStt::new(0, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), StreamConfig::default()).unwrap();
        feed(&mut t, &audio, 10.0);
        let events = collect(&rx, t);
        assert!(events.is_empty(), "{events:?}");
        assert!(calls.all().is_empty());

        // With partials every 0.1 s, one is made for the click before it is dropped: an
        // empty final then withdraws its provisional line.
        let config = StreamConfig {
            partial_every_s: 0.1,
            ..Default::default()
        };
        let (stt, calls) = CountingStt::new(0, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        for chunk in audio.chunks(160) {
            t.push(chunk);
            std::thread::sleep(Duration::from_millis(2));
        }
        let events = collect(&rx, t);
        assert!(!calls.all().is_empty(), "a partial was asked for");
        assert!(
            matches!(events.first(), Some(SttEvent::Partial { .. })),
            "{events:?}"
        );
        assert!(
            matches!(events.last(), Some(SttEvent::Final { segments, .. }) if segments.is_empty()),
            "{events:?}"
        );
    }

    #[test]
    fn every_utterance_is_finalised_once_in_order_and_nothing_final_is_transcribed_again() {
        let audio = talk(&[2.0, 3.0, 1.2]);
        let config = StreamConfig::default();
        let expected = utterances(&audio, &config.endpoint);
        assert_eq!(expected.len(), 3);
        let (stt, calls) = CountingStt::new(30, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        feed(&mut t, &audio, 10.0);
        let events = collect(&rx, t);

        let got = finals(&events);
        assert_eq!(got.len(), 3, "{events:?}");
        // The model saw each utterance exactly once at full quality (committed at the start
        // of the pause that ended it), and that pass is its final.
        let full: Vec<usize> = calls
            .all()
            .iter()
            .filter_map(|c| match c {
                Call::Full(n) => Some(*n),
                _ => None,
            })
            .collect();
        assert_eq!(full.len(), 3, "{full:?}");
        for ((f, u), n) in got.iter().zip(&expected).zip(&full) {
            assert!((f.0 - u.t0).abs() < 1e-9, "final at {} for {}", f.0, u.t0);
            assert!(u.speech_len <= *n && *n <= u.samples.len(), "{n} samples");
            assert_eq!(f.2.len(), 1);
            assert_eq!(f.2[0].text, format!("n{n}"));
        }
        // Partials only ever cover speech of the utterance in progress (never a closed one).
        let longest = expected.iter().map(|u| u.speech_len).max().unwrap();
        for c in calls.all() {
            if let Call::Partial(n) = c {
                assert!(n <= longest, "a partial of {n} samples");
            }
        }
    }

    #[test]
    fn partials_come_before_their_final_and_grow() {
        let audio = talk(&[4.0, 3.0]);
        let (stt, _calls) = CountingStt::new(20, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), StreamConfig::default()).unwrap();
        feed(&mut t, &audio, 5.0);
        let events = collect(&rx, t);
        let mut finalised: Vec<f64> = Vec::new();
        let mut partials = 0;
        let mut last_len: Option<(f64, f64)> = None;
        for e in &events {
            match e {
                SttEvent::Partial { t0, t1, .. } => {
                    partials += 1;
                    assert!(
                        !finalised.contains(t0),
                        "a partial after its final: {events:?}"
                    );
                    if let Some((p0, p1)) = last_len {
                        if p0 == *t0 {
                            assert!(*t1 > p1, "partials of one utterance grow");
                        }
                    }
                    last_len = Some((*t0, *t1));
                }
                SttEvent::Final { t0, .. } => finalised.push(*t0),
                SttEvent::Failed { message, .. } => panic!("failed: {message}"),
            }
        }
        assert_eq!(finalised.len(), 2);
        // About one a second of speech (7 s), the first after a second of it.
        assert!(
            (4..=10).contains(&partials),
            "{partials} partials: {events:?}"
        );
    }

    #[test]
    fn a_partial_that_waits_behind_a_final_starts_from_the_latest_audio() {
        // Utterance A's final takes 1 s (2 s of audio at 2x), during which utterance B's
        // first partial is asked for (at 1 s of speech) and has to wait.
        // (1 s between them: the voice detector hears ~0.1 s past the end of a sound.)
        let mut audio = silence(0.5);
        audio.extend(tone(1.0));
        audio.extend(silence(1.0));
        audio.extend(tone(4.0));
        audio.extend(silence(1.5));
        let config = StreamConfig {
            early_final_after_s: f64::INFINITY,
            ..Default::default()
        };
        let (mut stt, calls) = CountingStt::new(1_000, vec![]);
        stt.partial_delay = Duration::from_millis(10);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        feed(&mut t, &audio, 2.0);
        let _ = collect(&rx, t);
        let all = calls.all();
        let first_final = all.iter().position(|c| matches!(c, Call::Full(_))).unwrap();
        let Some(Call::Partial(len)) = all.get(first_final + 1) else {
            panic!("no partial right after the first final: {all:?}");
        };
        // Asked for at 0.3 s of pre-roll + 1 s of speech; renewed while it waited.
        let covered_s = *len as f64 / RATE;
        assert!(
            covered_s >= 1.65,
            "the partial covers {covered_s:.2} s: {all:?}"
        );
    }

    #[test]
    fn partials_never_queue_up_behind_a_slow_model() {
        // 12 s of speech pushed at 10x real time, a partial due every 0.1 s (120 requests),
        // and a model that takes 0.15 s a call: only the newest request ever waits.
        let audio = talk(&[12.0]);
        let config = StreamConfig {
            partial_every_s: 0.1,
            endpoint: EndpointerConfig {
                max_utterance_s: 30.0,
                ..Default::default()
            },
            ..Default::default()
        };
        let (stt, calls) = CountingStt::new(150, vec![]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        let started = std::time::Instant::now();
        feed(&mut t, &audio, 10.0);
        let fed_s = started.elapsed().as_secs_f64();
        let events = collect(&rx, t);
        let partial_calls: Vec<usize> = calls
            .all()
            .iter()
            .filter_map(|c| match c {
                Call::Partial(n) => Some(*n),
                _ => None,
            })
            .collect();
        // Calls back to back while feeding, plus at most the one in hand when it ended.
        let max_calls = (fed_s / 0.15).ceil() as usize + 1;
        assert!(
            partial_calls.len() <= max_calls,
            "{} partial calls in {fed_s:.2} s",
            partial_calls.len()
        );
        assert!(partial_calls.len() >= 3, "{partial_calls:?}");
        // Each newer partial is for more speech: the latest request, not an old one.
        assert!(
            partial_calls.windows(2).all(|w| w[1] > w[0]),
            "{partial_calls:?}"
        );
        assert_eq!(finals(&events).len(), 1);
    }

    #[test]
    fn a_panic_fails_that_utterance_only_and_transcription_goes_on() {
        let audio = talk(&[1.5, 1.5, 1.5]);
        let config = finals_only();
        let expected = utterances(&audio, &config.endpoint);
        let (stt, calls) = CountingStt::new(10, vec![2]);
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        feed(&mut t, &audio, 20.0);
        let events = collect(&rx, t);
        assert_eq!(events.len(), 3, "{events:?}");
        assert!(matches!(&events[0], SttEvent::Final { segments, .. } if segments.len() == 1));
        match &events[1] {
            SttEvent::Failed { t0, message, .. } => {
                assert!((t0 - expected[1].t0).abs() < 1e-9);
                assert!(message.contains("crashed"), "{message}");
                assert!(
                    message.contains("stand-in model fault on call 2"),
                    "{message}"
                );
                assert!(message.contains("recording keeps it"), "{message}");
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert!(matches!(&events[2], SttEvent::Final { segments, .. } if segments.len() == 1));
        assert_eq!(calls.all().len(), 3);
    }

    #[test]
    fn the_worker_gives_up_after_repeated_panics_and_says_so_once() {
        let audio = talk(&[1.0, 1.0, 1.0, 1.0, 1.0]);
        let config = finals_only();
        let (stt, calls) = CountingStt::new(0, (1..100).collect());
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        feed(&mut t, &audio, 20.0);
        assert_eq!(t.finals_queued(), 5);
        let events = collect(&rx, t);
        assert_eq!(
            calls.all().len(),
            3,
            "stopped calling the model after 3 panics"
        );
        let failed: Vec<&String> = events
            .iter()
            .filter_map(|e| match e {
                SttEvent::Failed { message, .. } => Some(message),
                _ => None,
            })
            .collect();
        assert_eq!(failed.len(), 4, "{events:?}");
        assert!(
            failed[3].contains("off for the rest of this session"),
            "{}",
            failed[3]
        );
    }

    #[test]
    fn pending_finals_reach_zero_only_once_the_final_is_in_the_channel() {
        let audio = talk(&[1.0]);
        let (stt, _calls) = CountingStt::new(200, vec![]);
        let config = finals_only();
        let (mut t, rx) = LiveTranscriber::start(Box::new(stt), config).unwrap();
        t.push(&audio);
        assert_eq!(t.pending_finals(), 1);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while t.pending_finals() > 0 {
            assert!(std::time::Instant::now() < deadline);
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(matches!(rx.try_recv(), Ok(SttEvent::Final { .. })));
        assert!(t.finish().is_empty());
    }
}
