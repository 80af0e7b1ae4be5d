use crate::cards::{Area, Card, GlossaryTerm};
use crate::{load, problem, ContentError, ContentProblem};
use include_dir::{include_dir, Dir};
use rehearse_core::{DimensionId, PromptInfo};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../content");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub name: String,
    /// The concept as a yes/no check, for an LLM grader ("Does the candidate set a latency
    /// target?"); the phrases are the offline grader's detector for the same check.
    pub question: String,
    pub phrases: Vec<String>,
    /// Words that meet the check only when they open a sentence, in two sentences or more
    /// (a signpost said by naming the topic first: "For rate limits, I'd ...").
    #[serde(default)]
    pub openers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricDimension {
    pub id: DimensionId,
    pub name: String,
    /// The written anchor for each level 0..=4.
    pub anchors: Vec<String>,
    pub suggestion: String,
    /// Ids of the study cards that teach this dimension; a session scoring it 0 or 1 queues
    /// them for study. Every id must be a card in `content/cards`.
    #[serde(default)]
    pub cards: Vec<String>,
    pub concepts: Vec<Concept>,
    /// Whether numbers with units ("500 tokens", "200 ms") count as evidence here.
    #[serde(default)]
    pub numbers_count: bool,
    /// Concept names of which at least one must be present for a level above 1.
    #[serde(default)]
    pub gate: Vec<String>,
    /// Concept names of which at least one must be present for level 4.
    #[serde(default)]
    pub top_requires: Vec<String>,
    /// Concept names that are ticked and shown, and that follow-ups may quote, but that earn
    /// no level: naming a product ("I'd use GPT-4 and Pinecone") is what a weak answer says
    /// in place of a design.
    #[serde(default)]
    pub uncounted: Vec<String>,
    /// The phrases are words about the answer's shape ("let me start with", "now the",
    /// "happy to go deeper"), heard in any sentence: a plan is said as a list of parts and a
    /// check-in does nothing with the design, so neither needs a clause that says something.
    #[serde(default)]
    pub structure_words: bool,
}

/// A misconception a strong interviewer would catch ("fine-tuning means it can never
/// hallucinate"): when a sentence matches one of its patterns, the dimensions it names are
/// capped and the interviewer challenges the claim, quoting it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlag {
    pub id: String,
    /// The misconception in plain words (shown with the capped level).
    pub claim: String,
    pub dimensions: Vec<DimensionId>,
    /// The highest level those dimensions may get while the claim stands.
    pub cap: u8,
    /// Regular expressions (case-insensitive) over one sentence.
    pub patterns: Vec<String>,
    /// Words that withdraw the claim in the same sentence ("never give the model admin
    /// rights" is the opposite of giving it them).
    #[serde(default)]
    pub unless: Vec<String>,
    /// The challenge; `{quote}` is replaced by the candidate's words.
    pub challenge: String,
}

/// Sizing arithmetic a person checks in their head: a figure said beside the quantities it
/// follows from ("ten thousand pages ... half a billion tokens") is compared with what those
/// quantities give. A figure far outside `range` is a red flag like any other.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizingCheck {
    pub id: String,
    /// The mistake in plain words (shown with the capped level).
    pub claim: String,
    /// Unit words of the stated figure ("tokens"; "bytes" takes kb, mb, gb, tb and their
    /// spelled-out forms).
    pub total: Vec<String>,
    /// The quantities it follows from, each a list of unit words; the expected figure is
    /// their product times `times`.
    pub of: Vec<Vec<String>>,
    #[serde(default = "one")]
    pub times: f64,
    /// Plausible stated / expected, low and high.
    pub range: [f64; 2],
    /// Words that make the arithmetic something else in the same sentences (quantisation
    /// shrinks an index): the check is skipped.
    #[serde(default)]
    pub unless: Vec<String>,
    pub dimensions: Vec<DimensionId>,
    pub cap: u8,
    /// The challenge; `{quote}` is replaced by the stated figure in the candidate's words.
    pub challenge: String,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub dimensions: Vec<RubricDimension>,
    #[serde(default)]
    pub red_flags: Vec<RedFlag>,
    #[serde(default)]
    pub sizing: Vec<SizingCheck>,
    /// How a speech recogniser writes the field's terms when it mishears them ("sequel" for
    /// SQL, "Jason" for JSON): a follow-up never quotes them back as the candidate's words.
    #[serde(default)]
    pub misheard: Vec<String>,
    /// Caps for an answer that rests on several misconceptions at once.
    #[serde(default)]
    pub misconceptions: Option<CompoundCaps>,
    /// A product said aloud far from what its figures multiply to.
    #[serde(default)]
    pub arithmetic: Option<ArithmeticCheck>,
}

/// "Twenty thousand streams at forty tokens a second is eight hundred tokens a second": a
/// product said in its rate's unit is checked (`rehearse-interviewer`'s products module); one
/// far off is a red flag like the others.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArithmeticCheck {
    pub claim: String,
    pub dimensions: Vec<DimensionId>,
    pub cap: u8,
    /// `{quote}` is replaced by the candidate's words for the product.
    pub challenge: String,
}

/// A design built on two or more misconceptions is not a sound design with two slips: its
/// figures and reasons rest on them, so some dimensions are capped beyond what each claim caps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompoundCaps {
    /// How many distinct red flags (sizing errors included) make the answer rest on them.
    pub at_least: usize,
    /// The highest level each named dimension may then get.
    pub caps: BTreeMap<DimensionId, u8>,
}

impl Rubric {
    pub fn dimension(&self, id: DimensionId) -> Option<&RubricDimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub id: String,
    pub title: String,
    pub rubric: String,
    pub followups: BTreeMap<DimensionId, Vec<String>>,
    /// Markdown.
    pub brief: String,
    /// Numbers to design for ("10,000 pages", "200 questions a minute at peak").
    pub scale_hints: Vec<String>,
    /// Markdown: what a strong answer covers, for review after practice.
    pub reference_outline: String,
}

impl Prompt {
    pub fn info(&self) -> PromptInfo {
        PromptInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            brief: self.brief.clone(),
        }
    }
}

/// All prompts, rubrics, cards and glossary terms, validated against each other.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub(crate) prompts: Vec<Prompt>,
    pub(crate) rubrics: Vec<Rubric>,
    pub(crate) cards: Vec<Card>,
    pub(crate) glossary: Vec<GlossaryTerm>,
}

/// The folders and files under a content root that hold content.
pub(crate) fn is_content_file(rel: &str) -> bool {
    (rel.starts_with("prompts/") && rel.ends_with(".md"))
        || (rel.starts_with("rubrics/") && rel.ends_with(".toml"))
        || (rel.starts_with("cards/") && rel.ends_with(".md"))
        || rel == "glossary.toml"
}

/// The embedded content files as (path relative to content/, text), plus problems for
/// files that are not UTF-8.
pub(crate) fn embedded_files() -> (Vec<(String, String)>, Vec<ContentProblem>) {
    fn walk(dir: &Dir<'_>, files: &mut Vec<(String, String)>, problems: &mut Vec<ContentProblem>) {
        for f in dir.files() {
            let name = f.path().to_string_lossy().replace('\\', "/");
            if !is_content_file(&name) {
                continue;
            }
            match f.contents_utf8() {
                Some(text) => files.push((name, text.to_string())),
                None => problems.push(ContentProblem::new(&name, 1, "not UTF-8 text")),
            }
        }
        for d in dir.dirs() {
            walk(d, files, problems);
        }
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    walk(&EMBEDDED, &mut files, &mut problems);
    (files, problems)
}

/// The content files under `root` as (path relative to root, text). `prompts/` and
/// `rubrics/` must exist; `cards/` and `glossary.toml` are optional.
pub(crate) fn read_tree(root: &Path) -> Result<Vec<(String, String)>, ContentError> {
    for required in ["prompts", "rubrics"] {
        let dir = root.join(required);
        std::fs::read_dir(&dir).map_err(io_error(&dir))?;
    }
    let mut files = Vec::new();
    walk_tree(root, root, &mut files)?;
    Ok(files)
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ContentError + '_ {
    move |source| ContentError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Collects the content files below `dir` as (path relative to `root`, text).
fn walk_tree(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, String)>,
) -> Result<(), ContentError> {
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        entries.push(entry.map_err(io_error(dir))?.path());
    }
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk_tree(root, &path, files)?;
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !is_content_file(&rel) {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(io_error(&path))?;
        files.push((rel, text));
    }
    Ok(())
}

impl Content {
    /// The content compiled into the binary.
    pub fn embedded() -> Result<Self, ContentError> {
        let (files, mut problems) = embedded_files();
        let (content, more) = load::load_files(files);
        problems.extend(more);
        match problem::into_error(&problems) {
            Some(e) => Err(e),
            None => Ok(content),
        }
    }

    /// The embedded content plus the user's own cards from `user_dir/cards/<area>/*.md` (same
    /// format as the shipped cards). When the user's files have problems they are left out,
    /// the embedded content is returned alone, and the problems name the user's files by
    /// their full path, so one bad card never stops the app.
    pub fn embedded_with_user_cards(
        user_dir: &Path,
    ) -> Result<(Self, Vec<ContentProblem>), ContentError> {
        let embedded = Self::embedded()?;
        let cards_dir = user_dir.join("cards");
        if !cards_dir.is_dir() {
            return Ok((embedded, Vec::new()));
        }
        let mut user_files = Vec::new();
        if let Err(e) = walk_tree(user_dir, &cards_dir, &mut user_files) {
            let problem = ContentProblem::new(&cards_dir.display().to_string(), 1, e.to_string());
            return Ok((embedded, vec![problem]));
        }
        if user_files.is_empty() {
            return Ok((embedded, Vec::new()));
        }
        let user_names: std::collections::HashSet<String> =
            user_files.iter().map(|(name, _)| name.clone()).collect();
        let (mut files, _) = embedded_files();
        files.extend(user_files);
        let (merged, problems) = load::load_files(files);
        if problems.is_empty() {
            return Ok((merged, Vec::new()));
        }
        let problems = problems
            .into_iter()
            .map(|mut p| {
                if user_names.contains(&p.file) {
                    p.file = user_dir.join(&p.file).display().to_string();
                }
                p
            })
            .collect();
        Ok((embedded, problems))
    }

    /// Content from a folder laid out like `content/` (for authors checking their edits).
    pub fn load_dir(root: &Path) -> Result<Self, ContentError> {
        let (content, problems) = load::load_files(read_tree(root)?);
        match problem::into_error(&problems) {
            Some(e) => Err(e),
            None => Ok(content),
        }
    }

    pub fn prompts(&self) -> &[Prompt] {
        &self.prompts
    }

    pub fn prompt(&self, id: &str) -> Result<&Prompt, ContentError> {
        self.prompts
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ContentError::UnknownPrompt(id.to_string()))
    }

    pub fn rubric(&self, id: &str) -> Option<&Rubric> {
        self.rubrics.iter().find(|r| r.id == id)
    }

    pub fn rubrics(&self) -> &[Rubric] {
        &self.rubrics
    }

    /// The prompt and the rubric it is scored with.
    pub fn prompt_with_rubric(&self, id: &str) -> Result<(&Prompt, &Rubric), ContentError> {
        let prompt = self.prompt(id)?;
        let rubric = self
            .rubric(&prompt.rubric)
            .ok_or_else(|| ContentError::UnknownPrompt(id.to_string()))?;
        Ok((prompt, rubric))
    }

    /// All study cards, sorted by area, then file name.
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The cards of one area, overview first.
    pub fn cards_in(&self, area: Area) -> Vec<&Card> {
        let mut cards: Vec<&Card> = self.cards.iter().filter(|c| c.area == area).collect();
        cards.sort_by_key(|c| c.kind);
        cards
    }

    /// All glossary terms, in the order of the file.
    pub fn glossary(&self) -> &[GlossaryTerm] {
        &self.glossary
    }

    pub fn term(&self, id: &str) -> Option<&GlossaryTerm> {
        self.glossary.iter().find(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_content_has_the_three_seed_prompts() {
        let c = Content::embedded().unwrap();
        for id in ["doc-qa-10k", "support-returns-agent", "pr-review-bot"] {
            let (p, r) = c.prompt_with_rubric(id).unwrap();
            assert!(!p.brief.is_empty());
            assert_eq!(r.dimensions.len(), 8);
        }
        assert!(matches!(
            c.prompt("nope"),
            Err(ContentError::UnknownPrompt(_))
        ));
    }

    fn write_tree(dir: &Path, prompt: &str, rubric: &str) {
        std::fs::create_dir_all(dir.join("prompts")).unwrap();
        std::fs::create_dir_all(dir.join("rubrics")).unwrap();
        std::fs::write(dir.join("prompts/p.md"), prompt).unwrap();
        std::fs::write(dir.join("rubrics/r.toml"), rubric).unwrap();
    }

    #[test]
    fn malformed_prompt_names_file_and_line() {
        let tmp = tempfile::tempdir().unwrap();
        let rubric = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/rubrics/system-design.toml"),
        )
        .unwrap();
        write_tree(
            tmp.path(),
            "+++\nid = \"p\"\ntitle = \"T\"\nrubric = \"system-design\"\nfollowups = 7\n+++\nBrief\n",
            &rubric,
        );
        let err = Content::load_dir(tmp.path()).unwrap_err().to_string();
        assert!(
            err.contains("prompts/p.md") && err.contains("line 5"),
            "{err}"
        );
    }

    #[test]
    fn every_rubric_dimension_lists_study_cards() {
        let c = Content::embedded().unwrap();
        for r in c.rubrics() {
            for d in &r.dimensions {
                assert!(!d.cards.is_empty(), "{} has no cards", d.id);
                for id in &d.cards {
                    assert!(c.card(id).is_some(), "{id}");
                }
            }
        }
    }

    #[test]
    fn rubric_naming_an_unknown_card_is_rejected_at_its_line() {
        let tmp = tempfile::tempdir().unwrap();
        let rubric = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/rubrics/system-design.toml"),
        )
        .unwrap();
        let line = rubric
            .lines()
            .position(|l| l.contains("\"latency-cost-tradeoffs\""))
            .unwrap()
            + 1;
        let rubric = rubric.replacen("\"latency-cost-tradeoffs\"", "\"no-such-card\"", 1);
        let prompt = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/prompts/doc-qa-10k.md"),
        )
        .unwrap();
        write_tree(tmp.path(), &prompt, &rubric);
        let cards = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cards");
        for area in std::fs::read_dir(&cards).unwrap() {
            let area = area.unwrap().path();
            let to = tmp.path().join("cards").join(area.file_name().unwrap());
            std::fs::create_dir_all(&to).unwrap();
            for f in std::fs::read_dir(&area).unwrap() {
                let f = f.unwrap().path();
                std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
            }
        }
        let problems = crate::check_dir(tmp.path());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].file.ends_with("rubrics/r.toml"), "{problems:?}");
        assert_eq!(problems[0].line, line);
        assert!(problems[0].message.contains("no-such-card"), "{problems:?}");
    }

    #[test]
    fn rubric_missing_an_anchor_is_rejected() {
        let tmp = tempfile::tempdir().unwrap();
        let rubric = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/rubrics/system-design.toml"),
        )
        .unwrap()
        .replacen(
            "  \"Starts designing without asking what the system must do.\",\n",
            "",
            1,
        );
        let prompt = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/prompts/doc-qa-10k.md"),
        )
        .unwrap();
        write_tree(tmp.path(), &prompt, &rubric);
        let err = Content::load_dir(tmp.path()).unwrap_err().to_string();
        assert!(
            err.contains("rubrics/r.toml") && err.contains("5 anchors"),
            "{err}"
        );
    }
}
