//! The product's knowledge (prompts, rubrics, study cards, glossary), written as files in
//! `content/`, embedded at build time and validated on load. Errors name the file and line;
//! [`check_dir`] and [`check_embedded`] list every problem at once for authors.

mod cards;
mod error;
mod frontmatter;
mod load;
mod model;
mod problem;

pub use cards::{Area, Card, CardKind, GlossaryTerm, KeyPoint, ALL_AREAS};
pub use error::ContentError;
pub use model::{
    ArithmeticCheck, CompoundCaps, Concept, Content, Prompt, RedFlag, Rubric, RubricDimension,
    SizingCheck,
};
pub use problem::{check_summary, ContentProblem};

use std::path::Path;

/// Every problem in a folder laid out like `content/`, each as `file:line: message` with the
/// file joined to `root`. Empty when the content is good.
pub fn check_dir(root: &Path) -> Vec<ContentProblem> {
    let files = match model::read_tree(root) {
        Ok(files) => files,
        Err(e) => return vec![e.into()],
    };
    let (_, problems) = load::load_files(files);
    problems
        .into_iter()
        .map(|mut p| {
            p.file = root.join(&p.file).display().to_string();
            p
        })
        .collect()
}

/// Every problem in the content compiled into the binary.
pub fn check_embedded() -> Vec<ContentProblem> {
    let (files, mut problems) = model::embedded_files();
    let (_, more) = load::load_files(files);
    problems.extend(more);
    problems
}
