//! What to do about an engine error, in the CLI's words (the app says it in its own).

use rehearse_engine::{EngineError, Remedy};

/// The error's message with what to do in a terminal appended, when there is something.
pub fn explain(e: &anyhow::Error) -> String {
    let message = format!("{e:#}");
    match e
        .chain()
        .find_map(|cause| cause.downcast_ref::<EngineError>())
        .and_then(EngineError::remedy)
    {
        Some(remedy) => format!("{message}; {}", hint(&remedy)),
        None => message,
    }
}

fn hint(remedy: &Remedy) -> String {
    match remedy {
        Remedy::InstallModel { id: None } => {
            "install the model in use again: `rehearse settings show` names it, `rehearse models download ID` fetches it".into()
        }
        Remedy::InstallModel { id: Some(id) } => {
            if id == rehearse_stt::DEFAULT_MODEL_ID {
                format!("run `bash scripts/setup.sh` or `rehearse models download {id}` (`rehearse models install {id} --from-ct2 DIR` from a CTranslate2 folder)")
            } else {
                format!("run `rehearse models download {id}` (or `rehearse models install-file PATH` for a file you already have)")
            }
        }
        Remedy::ChooseModel => "`rehearse models list` shows the known ones".into(),
        Remedy::InstallModelFile => {
            "install a file you already have with `rehearse models install-file PATH`, or download from a mirror with `--url`".into()
        }
        Remedy::ChoosePrompt => "run `rehearse prompts` to see the available ones".into(),
        Remedy::FindSession => "`rehearse sessions list` shows the stored ones".into(),
        Remedy::FindCard => "`rehearse cards search WORD` finds cards".into(),
        Remedy::ChooseMicrophone => {
            "choose another in the app's Settings, or set REHEARSE_INPUT_DEVICE (unset: the system default)".into()
        }
    }
}
