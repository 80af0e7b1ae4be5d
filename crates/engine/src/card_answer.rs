//! "Answer out loud" for a study card: record the microphone while the candidate answers a
//! question card, then transcribe the recording and grade it against the card's key points.

use crate::study::transcribe_and_grade;
use crate::transcribe::load_stt;
use crate::{remove_if_exists, Engine, EngineError};
use crossbeam_channel::Receiver;
use rehearse_audio::{MicCapture, MicFrames};
use rehearse_content::Card;
use rehearse_core::SpokenAnswer;
use rehearse_stt::WhisperStt;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// A spoken answer to a card being recorded. [`CardAnswerRecording::stop`] grades it; dropping
/// it without `stop` cancels it (capture stops and the recording is deleted).
pub struct CardAnswerRecording {
    card: Card,
    wav: PathBuf,
    /// Loaded before recording starts, so a missing model is reported before the candidate
    /// speaks, and `stop` only waits for the transcription itself.
    stt: WhisperStt,
    capture: Option<MicCapture>,
    /// Empties the capture's frames channel (the WAV is written on the capture side); returns
    /// why the device stopped, if it did.
    drain: Option<JoinHandle<Option<String>>>,
}

impl CardAnswerRecording {
    /// The card being answered.
    pub fn card_id(&self) -> &str {
        &self.card.id
    }

    /// Where the answer is being recorded (16 kHz mono WAV).
    pub fn wav_path(&self) -> &Path {
        &self.wav
    }

    /// Stops recording, transcribes the answer with the installed model and checks it against
    /// the card's key points. The transcript, the coverage and a suggested grade come back;
    /// nothing is stored (the candidate still chooses the grade).
    pub fn stop(mut self) -> Result<SpokenAnswer, EngineError> {
        let capture = self
            .capture
            .take()
            .ok_or_else(|| EngineError::SessionThread("the answer was already stopped".into()))?;
        let duration_s = capture.stop()?;
        if let Some(lost) = self.drain.take().and_then(|d| d.join().ok().flatten()) {
            tracing::warn!(reason = %lost, "the microphone stopped during a card answer; grading what was recorded");
        }
        tracing::info!(card = %self.card.id, duration_s, "card answer recorded");
        let answer = transcribe_and_grade(&mut self.stt, &self.card, &self.wav)?;
        // The recording is deleted once graded: nothing in the store refers to it and no
        // screen can play it back, so keeping it would only pile up unreachable audio of the
        // candidate's voice in the data folder. When grading fails (the `?` above) it is kept,
        // so the answer is not lost and can be graded again from the file.
        if let Err(e) = remove_if_exists(&self.wav) {
            tracing::warn!(error = %e, "could not delete a graded card answer");
        }
        Ok(answer)
    }
}

impl Drop for CardAnswerRecording {
    fn drop(&mut self) {
        // Not stopped: a cancelled answer. Stop capture and discard the recording.
        if let Some(capture) = self.capture.take() {
            let _ = capture.stop();
            if let Some(d) = self.drain.take() {
                let _ = d.join();
            }
            let _ = remove_if_exists(&self.wav);
        }
    }
}

/// Reads frames until the capture side closes the channel, so it never fills up.
fn drain_frames(frames: Receiver<MicFrames>) -> Option<String> {
    let mut lost = None;
    for msg in frames.iter() {
        if let MicFrames::DeviceLost { device, .. } = msg {
            lost.get_or_insert(crate::mic_lost_message(&device));
        }
    }
    lost
}

impl Engine {
    /// Starts recording a spoken answer to `card_id` from the microphone (the settings' input
    /// device) into `answers/<uuid>.wav` under the data folder. An unknown card, a card
    /// without key points, a missing speech model and a missing microphone are reported here,
    /// before anything is recorded.
    pub fn start_card_answer(&self, card_id: &str) -> Result<CardAnswerRecording, EngineError> {
        let card = self.card(card_id)?;
        if card.key_points.is_empty() {
            return Err(EngineError::NoKeyPoints(card.id.clone()));
        }
        let stt = load_stt(self)?;
        let dir = self.paths().data_dir.join("answers");
        crate::vault::create_private_dir(&dir)?;
        let wav = dir.join(format!("{}.wav", uuid::Uuid::new_v4()));
        drop(crate::vault::create_private_file(&wav)?);
        let (capture, frames) =
            MicCapture::start(self.settings().input_device.as_deref(), wav.clone())?;
        let drain = std::thread::Builder::new()
            .name("answer-frames".into())
            .spawn(move || drain_frames(frames))
            .map_err(|e| EngineError::SessionThread(e.to_string()));
        let drain = match drain {
            Ok(d) => d,
            Err(e) => {
                let _ = capture.stop();
                let _ = remove_if_exists(&wav);
                return Err(e);
            }
        };
        Ok(CardAnswerRecording {
            card: card.clone(),
            wav,
            stt,
            capture: Some(capture),
            drain: Some(drain),
        })
    }
}
