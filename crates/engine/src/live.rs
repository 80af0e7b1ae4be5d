use crate::board_history::{BoardUpdate, LiveBoard};
use crate::interviewer_backend::build_interviewer;
use crate::stream::{LiveTranscriber, StreamConfig, SttEvent};
use crate::study::queue_gaps;
use crate::transcribe::load_stt;
use crate::{now_rfc3339, record_new_session, Engine, EngineError, EventSink};
use crossbeam_channel::{bounded, select, tick, unbounded, Receiver, Sender};
use rehearse_audio::{FeedEnd, MicCapture, MicFrames, SamplesFeed};
use rehearse_content::Rubric;
use rehearse_core::{EngineEvent, Segment, SessionReport, SessionStatus, Turn};
use rehearse_interviewer::{Answered, FallbackInterviewer};
use rehearse_store::Store;
use std::thread::JoinHandle;
use std::time::Duration;

mod mic_loss;
mod samples;

pub use mic_loss::{mic_lost_message, InputSwitch};
use mic_loss::{LostMic, LostTime, SwitchRequest};

/// A recording in progress. Dropping it without `stop` stops it too, and still stores it.
pub struct LiveSession {
    session_id: String,
    stop_tx: Sender<()>,
    /// Whiteboard scenes for the session thread (never blocks: unbounded).
    board_tx: Sender<String>,
    /// "Move on to the next phase" requests for the session thread.
    phase_tx: Sender<()>,
    /// "Continue on another input" requests, after the microphone was lost.
    switch_tx: Sender<SwitchRequest>,
    /// Time spent without a microphone, which marks leave out.
    lost_time: LostTime,
    worker: Option<JoinHandle<Result<SessionReport, EngineError>>>,
    /// When recording began and where the session is stored, for marks (see `mark`).
    started: std::time::Instant,
    db_path: std::path::PathBuf,
}

impl LiveSession {
    pub fn id(&self) -> &str {
        &self.session_id
    }

    /// Hands the whiteboard's scene (Excalidraw JSON) to the session: it is stamped with the
    /// session clock, stored as a diff, and read by the interviewer. Returns at once; a scene
    /// that cannot be read is a notice and the last good board stays.
    pub fn update_board(&self, scene_json: String) -> Result<(), EngineError> {
        self.board_tx
            .send(scene_json)
            .map_err(|_| EngineError::SessionThread("the session has already ended".into()))
    }

    /// The candidate moves the interview on to its next phase (never back; nothing after the
    /// wrap-up). Returns at once; the session sends `EngineEvent::Phase` when it begins.
    pub fn next_phase(&self) -> Result<(), EngineError> {
        self.phase_tx
            .send(())
            .map_err(|_| EngineError::SessionThread("the session has already ended".into()))
    }

    /// Marks this moment ("come back to this in review"): stored with the session, in seconds
    /// from its start, which it returns. The wall clock since capture began stands in for the
    /// audio clock; they differ by the capture latency (well under a second). Time without a
    /// microphone is left out: the recording holds no audio for it.
    pub fn mark(&self) -> Result<f64, EngineError> {
        let at = self
            .started
            .elapsed()
            .saturating_sub(self.lost_time.get())
            .as_secs_f64();
        rehearse_store::Store::open(&self.db_path)?.add_mark(
            &self.session_id,
            at,
            &crate::now_rfc3339(),
        )?;
        Ok(at)
    }

    /// Stops recording, transcribes the tail, scores and stores the session.
    pub fn stop(mut self) -> Result<SessionReport, EngineError> {
        self.finish()
    }

    /// True once the session ended by itself (e.g. the microphone disappeared).
    pub fn is_finished(&self) -> bool {
        self.worker.as_ref().is_none_or(|w| w.is_finished())
    }

    fn finish(&mut self) -> Result<SessionReport, EngineError> {
        let _ = self.stop_tx.try_send(());
        match self.worker.take() {
            Some(w) => w
                .join()
                .map_err(|_| EngineError::SessionThread("the session thread panicked".into()))?,
            None => Err(EngineError::SessionThread(
                "the session was already stopped".into(),
            )),
        }
    }
}

impl Drop for LiveSession {
    fn drop(&mut self) {
        if self.worker.is_some() {
            let _ = self.finish();
        }
    }
}

/// Where a live session's audio comes from.
pub(crate) enum LiveInput {
    /// The microphone chosen in the settings.
    Mic,
    /// 16 kHz mono samples fed as a microphone would (see [`Engine::start_live_from_samples`]).
    Samples {
        samples: Vec<f32>,
        real_time: bool,
        end: FeedEnd,
    },
}

pub(crate) fn start(
    engine: &Engine,
    prompt_id: &str,
    events: EventSink,
    input: LiveInput,
) -> Result<LiveSession, EngineError> {
    let (prompt, rubric) = engine.content().prompt_with_rubric(prompt_id)?;
    let stt = load_stt(engine)?;
    let session_id = uuid::Uuid::new_v4().to_string();
    let audio_path = engine.paths().new_audio_path(&session_id)?;
    // Held until the session is stored; a crash releases it (see recovery.rs).
    let recording_lock = crate::recovery::RecordingLock::acquire(engine.paths(), &session_id)?;
    let started = std::time::Instant::now();
    let (capture, frames) = match input {
        LiveInput::Mic => MicCapture::start(
            engine.settings().input_device.as_deref(),
            audio_path.clone(),
        )?,
        LiveInput::Samples {
            samples,
            real_time,
            end,
        } => {
            let feed = SamplesFeed {
                samples,
                rate: rehearse_audio::TARGET_RATE,
                channels: 1,
                real_time,
                end,
            };
            MicCapture::from_samples_then(feed, audio_path.clone(), rehearse_audio::WATCHDOG)?
        }
    };
    let store = engine.store()?;
    record_new_session(engine, &store, &session_id, &prompt.id, &audio_path)?;
    events(EngineEvent::Started {
        session_id: session_id.clone(),
    });
    let (interviewer, notice) = build_interviewer(engine.settings(), prompt, rubric);
    if let Some(message) = notice {
        events(EngineEvent::Notice { message });
    }
    // "GPU (Vulkan) unavailable: ...; using CPU": say why it may be slower than expected.
    if let Some(message) = stt.backend().gpu_notice.clone() {
        events(EngineEvent::Notice { message });
    }
    events(phase_event(interviewer.phase()));
    // The longest an LLM follow-up may take: two calls (an answer and one repair), each
    // within the client's deadline, plus a margin.
    let llm_wait = engine.settings().llm.as_ref().map_or(Duration::ZERO, |l| {
        Duration::from_secs_f64(2.0 * l.timeout_s.clamp(0.1, 3_600.0) + 5.0)
    });
    let (turn_tx, turn_rx) = unbounded::<Answered<Turn>>();

    // Transcription runs on the transcriber's own thread (capture never waits for it) and a
    // panic there fails one utterance, not the session (see stream.rs).
    let (transcriber, stt_rx) = LiveTranscriber::start(Box::new(stt), StreamConfig::default())?;

    let (stop_tx, stop_rx) = bounded::<()>(1);
    let (board_tx, board_rx) = unbounded::<String>();
    let (phase_tx, phase_rx) = unbounded::<()>();
    let (switch_tx, switch_rx) = unbounded::<SwitchRequest>();
    let lost_time = LostTime::default();
    // Compiles the board's keyword rules off the session thread, before the first drawing.
    let _ = std::thread::Builder::new()
        .name("board-warm-up".into())
        .spawn(rehearse_board::warm_up);
    let ctx = Coordinator {
        board: LiveBoard::default(),
        board_rx,
        phase_rx,
        switch_rx,
        mic_lost: None,
        lost_time: lost_time.clone(),
        session_id: session_id.clone(),
        audio_path,
        model_id: engine.settings().model_id.clone(),
        store,
        gap_source: (rubric.clone(), prompt.title.clone()),
        interviewer,
        turn_tx,
        asking: false,
        llm_wait,
        events,
        clock_s: 0.0,
        segments: Vec::new(),
        level_acc: (0.0, 0),
        keep_audio: engine.settings().keep_audio,
        hold_questions: engine.settings().hold_questions,
        _recording_lock: recording_lock,
    };
    let worker = std::thread::Builder::new()
        .name("session".into())
        .spawn(move || ctx.run(capture, frames, transcriber, stt_rx, stop_rx, turn_rx))
        .map_err(|e| EngineError::SessionThread(e.to_string()))?;
    Ok(LiveSession {
        session_id,
        stop_tx,
        board_tx,
        phase_tx,
        switch_tx,
        lost_time,
        worker: Some(worker),
        started,
        db_path: engine.paths().db_path(),
    })
}

struct Coordinator {
    session_id: String,
    /// The recording, to tell how much of it is on disk when capture fails.
    audio_path: std::path::PathBuf,
    model_id: String,
    store: Store,
    /// The rubric and prompt title, for queueing study gaps once scored.
    gap_source: (Rubric, String),
    interviewer: FallbackInterviewer,
    /// Where follow-ups asked of the LLM (on their own threads) come back.
    turn_tx: Sender<Answered<Turn>>,
    /// A follow-up is being asked of the LLM.
    asking: bool,
    /// How long to wait at the end for a follow-up still being asked.
    llm_wait: Duration,
    events: EventSink,
    /// Seconds of audio heard so far: the session clock (the transcriber's `now_s`).
    clock_s: f64,
    segments: Vec<Segment>,
    /// Sum of squares and count since the last level event.
    level_acc: (f64, usize),
    /// The keep-audio setting: false deletes the recording once the session is scored.
    keep_audio: bool,
    /// "Hold questions until I'm done": no follow-ups at pauses while recording.
    hold_questions: bool,
    /// Marks the session as recorded by a living process until the coordinator is done.
    _recording_lock: crate::recovery::RecordingLock,
    board: LiveBoard,
    board_rx: Receiver<String>,
    phase_rx: Receiver<()>,
    switch_rx: Receiver<SwitchRequest>,
    /// The microphone stopped and the session waits for the candidate.
    mic_lost: Option<LostMic>,
    lost_time: LostTime,
}

fn phase_event(p: rehearse_interviewer::PhaseStart) -> EngineEvent {
    EngineEvent::Phase {
        phase: p.phase,
        started_s: p.started_s,
        budget_s: p.budget_s,
    }
}

const LEVEL_EVERY: usize = 1_600; // 100 ms at 16 kHz

impl Coordinator {
    fn run(
        mut self,
        mut capture: MicCapture,
        frames: Receiver<MicFrames>,
        mut transcriber: LiveTranscriber,
        stt_rx: Receiver<SttEvent>,
        stop_rx: Receiver<()>,
        turn_rx: Receiver<Answered<Turn>>,
    ) -> Result<SessionReport, EngineError> {
        let ticker = tick(Duration::from_millis(200));
        let board_rx = self.board_rx.clone();
        let phase_rx = self.phase_rx.clone();
        let switch_rx = self.switch_rx.clone();
        loop {
            select! {
                recv(board_rx) -> scene => {
                    if let Ok(scene) = scene {
                        self.on_board(scene);
                    }
                },
                recv(frames) -> msg => match msg {
                    Ok(MicFrames::Audio(samples)) => {
                        self.on_audio_while_lost();
                        self.on_audio(&samples, &mut transcriber);
                    }
                    // The session waits: continue on another input, or stop and score.
                    Ok(MicFrames::DeviceLost { device, reason }) => self.on_device_lost(device, &reason),
                    Err(_) => break,
                },
                recv(switch_rx) -> request => {
                    if let Ok(request) = request {
                        self.on_switch(&mut capture, request);
                    }
                },
                recv(stt_rx) -> event => {
                    if let Ok(event) = event {
                        self.on_stt(event);
                    }
                },
                recv(turn_rx) -> answered => {
                    if let Ok(answered) = answered {
                        self.on_turn(answered);
                    }
                },
                recv(phase_rx) -> msg => {
                    if msg.is_ok() {
                        if let Some(p) = self.interviewer.next_phase(self.clock_s) {
                            (self.events)(phase_event(p));
                        }
                    }
                },
                recv(ticker) -> _ => self.maybe_ask(&transcriber, &stt_rx),
                recv(stop_rx) -> _ => break,
            }
        }

        // Stop capture first: the WAV is finalised whatever happens next. A recording cut
        // short (a full disk) still ends as a scored session of what was said until then.
        let (duration_s, cut) = match capture.stop() {
            Ok(seconds) => (seconds, None),
            Err(e) => (self.saved_seconds(&e), Some(e)),
        };
        if let Some(e) = &cut {
            // Info, not warn: the Error event below is how the user hears of it (once).
            tracing::info!(session = %self.session_id, error = %e, "recording stopped by a fault");
            (self.events)(EngineEvent::Error {
                message: e.to_string(),
            });
        }
        for msg in frames.try_iter() {
            if let MicFrames::Audio(samples) = msg {
                self.on_audio(&samples, &mut transcriber);
            }
        }
        // The last board the candidate drew counts, even if it arrived with Stop.
        if let Ok(scene) = self.board_rx.try_recv() {
            self.on_board(scene);
        }
        // Only the tail (the utterance in progress) is left to transcribe.
        for event in transcriber.finish() {
            self.on_stt(event);
        }

        if self.asking {
            // Bounded by the client's deadline: the session never waits on the LLM for longer.
            if let Ok(answered) = turn_rx.recv_timeout(self.llm_wait) {
                self.on_turn(answered);
            }
        }

        match self.score_and_store(duration_s) {
            Ok(report) => {
                (self.events)(EngineEvent::Finished {
                    report: report.clone(),
                });
                Ok(report)
            }
            Err(e) => {
                // The segments and turns stored so far stay; the session becomes interrupted
                // (or, if even that cannot be written, is found so at the next start).
                let _ = self.store.set_session_status(
                    &self.session_id,
                    SessionStatus::Interrupted,
                    Some(duration_s),
                );
                (self.events)(EngineEvent::Error {
                    message: format!(
                        "Could not score and store this session: {e}. What was transcribed \
                         is kept; finish the session from the sessions list once this is fixed."
                    ),
                });
                Err(e)
            }
        }
    }

    /// Seconds of the recording on disk after capture failed with `e`.
    fn saved_seconds(&self, e: &rehearse_audio::AudioError) -> f64 {
        match e {
            rehearse_audio::AudioError::RecordingCut { saved_s, .. } => *saved_s,
            _ => rehearse_audio::repair_wav(&self.audio_path).unwrap_or(self.clock_s),
        }
    }

    fn score_and_store(&mut self, duration_s: f64) -> Result<SessionReport, EngineError> {
        let card = self.interviewer.score(&self.segments);
        if let Some(message) = card.notice() {
            (self.events)(EngineEvent::Notice { message });
        }
        self.store.save_scorecard(&self.session_id, &card.value)?;
        let (rubric, prompt_title) = &self.gap_source;
        if let Err(e) = queue_gaps(&mut self.store, rubric, prompt_title, &self.session_id) {
            (self.events)(EngineEvent::Notice {
                message: format!("Could not queue this session's study gaps: {e}"),
            });
        }
        self.store.finish_session(
            &self.session_id,
            &now_rfc3339(),
            duration_s,
            SessionStatus::Done,
        )?;
        crate::retention::after_scoring(self.keep_audio, &self.store, &self.session_id);
        Ok(self.store.session_report(&self.session_id)?)
    }

    fn on_audio(&mut self, samples: &[f32], transcriber: &mut LiveTranscriber) {
        for s in samples {
            self.level_acc.0 += (*s as f64) * (*s as f64);
            self.level_acc.1 += 1;
            if self.level_acc.1 >= LEVEL_EVERY {
                let rms = (self.level_acc.0 / self.level_acc.1 as f64).sqrt() as f32;
                (self.events)(EngineEvent::Level { rms });
                self.level_acc = (0.0, 0);
            }
        }
        transcriber.push(samples);
        self.clock_s = transcriber.now_s();
    }

    fn on_stt(&mut self, event: SttEvent) {
        match event {
            SttEvent::Partial { t0, text, .. } => {
                (self.events)(EngineEvent::Partial { t0, text });
            }
            SttEvent::Final { t0, segments, .. } => {
                if segments.is_empty() {
                    // Nothing was said after all (a cough): clear the provisional line.
                    (self.events)(EngineEvent::Partial {
                        t0,
                        text: String::new(),
                    });
                }
                for seg in segments {
                    if let Err(e) =
                        self.store
                            .add_segment(&self.session_id, &seg, Some(&self.model_id))
                    {
                        (self.events)(EngineEvent::Notice {
                            message: format!("Could not save to the sessions database: {e}"),
                        });
                    }
                    (self.events)(EngineEvent::Segment {
                        segment: seg.clone(),
                    });
                    self.segments.push(seg);
                }
            }
            SttEvent::Failed { t0, message, .. } => {
                (self.events)(EngineEvent::Partial {
                    t0,
                    text: String::new(),
                });
                (self.events)(EngineEvent::Notice { message });
            }
        }
    }

    /// Stores a board change at the session clock and shows it to the interviewer. Only the
    /// newest of several waiting scenes is read: each is the whole board.
    fn on_board(&mut self, mut scene: String) {
        for newer in self.board_rx.try_iter() {
            scene = newer;
        }
        let at = self.clock_s;
        match self.board.update(&self.store, &self.session_id, at, &scene) {
            BoardUpdate::Unchanged => {}
            BoardUpdate::Changed(graph) => self.interviewer.set_board(graph),
            BoardUpdate::Unreadable(Some(message)) => {
                (self.events)(EngineEvent::Notice { message })
            }
            BoardUpdate::Unreadable(None) => {}
        }
    }

    /// Speaks only at a natural pause, once everything said has been transcribed.
    fn maybe_ask(&mut self, transcriber: &LiveTranscriber, stt_rx: &Receiver<SttEvent>) {
        let now = self.clock_s;
        // The phase follows the clock whether or not the interviewer may speak.
        if let Some(p) = self.interviewer.advance_clock(now) {
            (self.events)(phase_event(p));
        }
        // Read before draining: once no final is pending, every final is in the channel.
        let transcribed = transcriber.pending_finals() == 0;
        for event in stt_rx.try_iter() {
            self.on_stt(event);
        }
        if !transcribed || self.hold_questions {
            return;
        }
        let Some(end) = transcriber.last_speech_end_s() else {
            return;
        };
        if now - end < self.interviewer.config().pause_s {
            return;
        }
        if self.asking {
            return;
        }
        let Some(pending) = self.interviewer.plan_at_pause(&self.segments, now) else {
            return;
        };
        if !pending.asks_llm() {
            // Offline (or a phase transition): answered at once, on this thread, as always.
            self.on_turn(pending.resolve());
            return;
        }
        // The LLM answers on its own thread so capture and transcription never wait for it;
        // the question goes to the UI as it forms, and the validated turn replaces it.
        self.asking = true;
        let tx = self.turn_tx.clone();
        let events = self.events.clone();
        let spawned = std::thread::Builder::new()
            .name("llm-turn".into())
            .spawn(move || {
                let mut drafted = false;
                let answered = pending.resolve_streaming(&mut |text| {
                    drafted = true;
                    events(EngineEvent::InterviewerDraft {
                        text_so_far: text.to_string(),
                    });
                });
                if drafted && answered.fell_back.is_some() {
                    // The draft was not used: withdraw it before the offline turn arrives.
                    events(EngineEvent::InterviewerDraft {
                        text_so_far: String::new(),
                    });
                }
                let _ = tx.send(answered);
            });
        if let Err(e) = spawned {
            self.asking = false;
            tracing::warn!(error = %e, "could not start the LLM follow-up thread");
        }
    }

    /// Stores and shows a follow-up, and says so when the offline interviewer stood in.
    fn on_turn(&mut self, answered: Answered<Turn>) {
        self.asking = false;
        self.interviewer.record(&answered);
        if let Some(message) = answered.notice() {
            (self.events)(EngineEvent::Notice { message });
        }
        if let Err(e) = self
            .store
            .add_turn(&self.session_id, &answered.value, &answered.backend)
        {
            (self.events)(EngineEvent::Notice {
                message: format!("Could not save to the sessions database: {e}"),
            });
        }
        (self.events)(EngineEvent::Turn {
            turn: answered.value,
        });
    }
}
