use crate::frontmatter::{line_of, parse_toml, split};
use crate::ContentError;
use include_dir::{include_dir, Dir};
use rehearse_core::{DimensionId, PromptInfo, ALL_DIMENSIONS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../content");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub name: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricDimension {
    pub id: DimensionId,
    pub name: String,
    /// The written anchor for each level 0..=4.
    pub anchors: Vec<String>,
    pub suggestion: String,
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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub dimensions: Vec<RubricDimension>,
}

impl Rubric {
    pub fn dimension(&self, id: DimensionId) -> Option<&RubricDimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptFront {
    id: String,
    title: String,
    rubric: String,
    followups: BTreeMap<DimensionId, Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub id: String,
    pub title: String,
    pub rubric: String,
    pub followups: BTreeMap<DimensionId, Vec<String>>,
    /// Markdown.
    pub brief: String,
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

/// All prompts and rubrics, validated against each other.
#[derive(Debug, Clone)]
pub struct Content {
    prompts: Vec<Prompt>,
    rubrics: Vec<Rubric>,
}

impl Content {
    /// The content compiled into the binary.
    pub fn embedded() -> Result<Self, ContentError> {
        let mut files = Vec::new();
        for sub in ["prompts", "rubrics"] {
            if let Some(dir) = EMBEDDED.get_dir(sub) {
                for f in dir.files() {
                    let name = f.path().to_string_lossy().into_owned();
                    let text = f
                        .contents_utf8()
                        .ok_or_else(|| ContentError::invalid(&name, 1, "not UTF-8 text"))?;
                    files.push((name, text.to_string()));
                }
            }
        }
        Self::from_files(files)
    }

    /// Content from a folder laid out like `content/` (for authors checking their edits).
    pub fn load_dir(root: &Path) -> Result<Self, ContentError> {
        let mut files = Vec::new();
        for sub in ["prompts", "rubrics"] {
            let dir = root.join(sub);
            let entries = std::fs::read_dir(&dir).map_err(|source| ContentError::Io {
                path: dir.clone(),
                source,
            })?;
            for entry in entries {
                let path = entry
                    .map_err(|source| ContentError::Io {
                        path: dir.clone(),
                        source,
                    })?
                    .path();
                let text = std::fs::read_to_string(&path).map_err(|source| ContentError::Io {
                    path: path.clone(),
                    source,
                })?;
                let rel = format!(
                    "{sub}/{}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                );
                files.push((rel, text));
            }
        }
        Self::from_files(files)
    }

    fn from_files(mut files: Vec<(String, String)>) -> Result<Self, ContentError> {
        files.sort();
        let mut prompts = Vec::new();
        let mut rubrics = Vec::new();
        for (name, text) in &files {
            if name.starts_with("rubrics/") && name.ends_with(".toml") {
                let rubric: Rubric = parse_toml(name, text, 1)?;
                validate_rubric(name, text, &rubric)?;
                rubrics.push(rubric);
            } else if name.starts_with("prompts/") && name.ends_with(".md") {
                let (front, first_line, body) = split(name, text)?;
                let p: PromptFront = parse_toml(name, front, first_line)?;
                prompts.push((
                    name.clone(),
                    Prompt {
                        id: p.id,
                        title: p.title,
                        rubric: p.rubric,
                        followups: p.followups,
                        brief: body.trim().to_string(),
                    },
                ));
            }
        }
        for (name, p) in &prompts {
            if !rubrics.iter().any(|r| r.id == p.rubric) {
                return Err(ContentError::invalid(
                    name,
                    1,
                    format!("rubric '{}' does not exist in content/rubrics", p.rubric),
                ));
            }
            if p.brief.is_empty() {
                return Err(ContentError::invalid(
                    name,
                    1,
                    "the prompt has no brief after its front matter",
                ));
            }
            for d in ALL_DIMENSIONS {
                if p.followups.get(&d).is_none_or(|q| q.is_empty()) {
                    return Err(ContentError::invalid(
                        name,
                        1,
                        format!("[followups] has no questions for '{d}'"),
                    ));
                }
            }
        }
        Ok(Content {
            prompts: prompts.into_iter().map(|(_, p)| p).collect(),
            rubrics,
        })
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

    /// The prompt and the rubric it is scored with.
    pub fn prompt_with_rubric(&self, id: &str) -> Result<(&Prompt, &Rubric), ContentError> {
        let prompt = self.prompt(id)?;
        let rubric = self
            .rubric(&prompt.rubric)
            .ok_or_else(|| ContentError::UnknownPrompt(id.to_string()))?;
        Ok((prompt, rubric))
    }
}

fn validate_rubric(file: &str, text: &str, rubric: &Rubric) -> Result<(), ContentError> {
    let line_for = |id: DimensionId| {
        text.find(&format!("id = \"{id}\""))
            .map(|o| line_of(text, o, 1))
            .unwrap_or(1)
    };
    for d in ALL_DIMENSIONS {
        let count = rubric.dimensions.iter().filter(|x| x.id == d).count();
        if count != 1 {
            return Err(ContentError::invalid(
                file,
                1,
                format!("dimension '{d}' must appear exactly once, found {count}"),
            ));
        }
    }
    for dim in &rubric.dimensions {
        if dim.anchors.len() != 5 {
            return Err(ContentError::invalid(
                file,
                line_for(dim.id),
                format!(
                    "dimension '{}' needs 5 anchors (levels 0-4), has {}",
                    dim.id,
                    dim.anchors.len()
                ),
            ));
        }
        if let Some(g) = dim
            .gate
            .iter()
            .chain(&dim.top_requires)
            .find(|g| !dim.concepts.iter().any(|c| &c.name == *g))
        {
            return Err(ContentError::invalid(
                file,
                line_for(dim.id),
                format!(
                    "dimension '{}' gates on '{g}', which is not one of its concepts",
                    dim.id
                ),
            ));
        }
        if dim.concepts.is_empty() || dim.concepts.iter().any(|c| c.phrases.is_empty()) {
            return Err(ContentError::invalid(
                file,
                line_for(dim.id),
                format!("dimension '{}' has a concept with no phrases", dim.id),
            ));
        }
    }
    Ok(())
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
