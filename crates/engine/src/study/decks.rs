//! The study queue at a moment (queued gaps, then due reviews, then new cards), the decks it
//! falls into, and the counts the study screen shows.

use super::gaps::{GAP_AREA, GAP_KIND};
use super::schedule::{parse_time, DAY_SECONDS};
use crate::{Engine, EngineError};
use chrono::{DateTime, Utc};
use rehearse_content::{Card, ALL_AREAS};
use rehearse_core::{CardLearningState, DueCard, ReviewGrade, StudyDeck, StudyStats};
use rehearse_store::{CardStateRow, GapCardRow, ReviewLogEntry};
use std::collections::{HashMap, HashSet};

impl Engine {
    /// Cards to study at `now`, at most `limit`: first the cards practice sessions queued
    /// (gap cards and the rubric's cards for weak dimensions, in the order queued, each with
    /// its reason), then reviewed cards that have fallen due, most overdue first, then new
    /// cards in content order.
    pub fn cards_due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<DueCard>, EngineError> {
        self.cards_due_in(None, now, limit)
    }

    /// [`Engine::cards_due`] for one deck: only the cards of topic `area` ("agents",
    /// "system-design", ...; "practice" for gap cards), in the same order. None: every deck.
    /// An area no card has gives an empty queue.
    pub fn cards_due_in(
        &self,
        area: Option<&str>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueCard>, EngineError> {
        let mut out = self.due_queue(now)?;
        if let Some(area) = area {
            out.retain(|c| c.area == area);
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Every deck, the five topic areas in their usual order and then, once a practice
    /// session has made gap cards, "practice": how many of its cards are to study now.
    pub fn study_decks(&self, now: DateTime<Utc>) -> Result<Vec<StudyDeck>, EngineError> {
        let queue = self.due_queue(now)?;
        let store = self.store()?;
        let states = store.card_states()?;
        let gap_ids: HashSet<String> = store.gap_cards()?.into_iter().map(|g| g.id).collect();
        let mut areas: Vec<&str> = ALL_AREAS.iter().map(|a| a.as_str()).collect();
        if !gap_ids.is_empty() {
            areas.push(GAP_AREA);
        }
        let mut decks: Vec<StudyDeck> = areas
            .iter()
            .map(|a| StudyDeck {
                area: (*a).to_string(),
                due: 0,
                due_reviewed: 0,
                new: 0,
                total: 0,
            })
            .collect();
        let deck_of = |decks: &[StudyDeck], area: &str| -> Option<usize> {
            decks.iter().position(|d| d.area == area)
        };
        for c in &queue {
            if let Some(i) = deck_of(&decks, &c.area) {
                decks[i].due += 1;
            }
        }
        for c in self.content().cards() {
            if let Some(i) = deck_of(&decks, c.area.as_str()) {
                decks[i].total += 1;
            }
        }
        if let Some(i) = deck_of(&decks, GAP_AREA) {
            decks[i].total = u32::try_from(gap_ids.len()).unwrap_or(u32::MAX);
        }
        let mut reviewed = vec![0u32; decks.len()];
        for s in &states {
            let Some(area) = self.area_of(&s.card_id, &gap_ids) else {
                continue;
            };
            let Some(i) = deck_of(&decks, area) else {
                continue;
            };
            reviewed[i] += 1;
            if parse_time(&s.due)? <= now {
                decks[i].due_reviewed += 1;
            }
        }
        for (d, r) in decks.iter_mut().zip(reviewed) {
            d.new = d.total.saturating_sub(r);
        }
        Ok(decks)
    }

    /// The topic area of a content card, or "practice" for a gap card; None for neither.
    fn area_of<'a>(&'a self, card_id: &str, gap_ids: &HashSet<String>) -> Option<&'a str> {
        match self.content().card(card_id) {
            Some(card) => Some(card.area.as_str()),
            None => gap_ids.contains(card_id).then_some(GAP_AREA),
        }
    }

    /// The whole study queue at `now`, every deck; see [`Engine::cards_due`].
    fn due_queue(&self, now: DateTime<Utc>) -> Result<Vec<DueCard>, EngineError> {
        let store = self.store()?;
        let states = store.card_states()?;
        let gaps: HashMap<String, GapCardRow> = store
            .gap_cards()?
            .into_iter()
            .map(|g| (g.id.clone(), g))
            .collect();
        let state_of: HashMap<&str, &CardStateRow> =
            states.iter().map(|s| (s.card_id.as_str(), s)).collect();
        let mut out = Vec::new();
        let mut listed: HashSet<String> = HashSet::new();
        for q in store.queued_cards()? {
            let Some(mut card) = self.due_front(&q.card_id, &gaps) else {
                continue; // a card removed from the content since it was queued
            };
            if let Some(s) = state_of.get(q.card_id.as_str()) {
                card.state = s.state;
                card.due = Some(s.due.clone());
            }
            card.reason = Some(q.reason);
            listed.insert(q.card_id);
            out.push(card);
        }
        let mut due = Vec::new();
        for s in &states {
            if listed.contains(&s.card_id) {
                continue;
            }
            let Some(mut card) = self.due_front(&s.card_id, &gaps) else {
                continue; // a card removed from the content since it was reviewed
            };
            let at = parse_time(&s.due)?;
            if at <= now {
                card.state = s.state;
                card.due = Some(s.due.clone());
                due.push((at, card));
            }
        }
        due.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.card_id.cmp(&b.1.card_id)));
        out.extend(due.into_iter().map(|(_, c)| c));
        out.extend(
            self.content()
                .cards()
                .iter()
                .filter(|c| {
                    !state_of.contains_key(c.id.as_str()) && !listed.contains(c.id.as_str())
                })
                .map(|c| due_card(c, CardLearningState::New, None)),
        );
        Ok(out)
    }

    /// A content card or a gap card as a new `DueCard`; None for an id that is neither.
    fn due_front(&self, card_id: &str, gaps: &HashMap<String, GapCardRow>) -> Option<DueCard> {
        if let Some(card) = self.content().card(card_id) {
            return Some(due_card(card, CardLearningState::New, None));
        }
        gaps.get(card_id).map(|g| DueCard {
            card_id: g.id.clone(),
            title: g.front.clone(),
            kind: GAP_KIND.to_string(),
            area: GAP_AREA.to_string(),
            state: CardLearningState::New,
            due: None,
            reason: None,
        })
    }

    /// Counts for the study screen; see [`StudyStats`] for what each means.
    pub fn study_stats(&self, now: DateTime<Utc>) -> Result<StudyStats, EngineError> {
        self.study_stats_in(None, now)
    }

    /// [`Engine::study_stats`] for one deck (topic `area`, or "practice" for gap cards): the
    /// counts and the retention of its cards only. None: every deck.
    pub fn study_stats_in(
        &self,
        area: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<StudyStats, EngineError> {
        let store = self.store()?;
        let states = store.card_states()?;
        let gap_ids: HashSet<String> = store.gap_cards()?.into_iter().map(|g| g.id).collect();
        let mut buckets = vec![0u32; 7];
        let mut reviewed_known = 0u32;
        let in_deck = |card_id: &str| match self.area_of(card_id, &gap_ids) {
            Some(a) => area.is_none_or(|want| want == a),
            None => false,
        };
        for s in &states {
            if !in_deck(&s.card_id) {
                continue;
            }
            reviewed_known += 1;
            let ahead = (parse_time(&s.due)? - now).num_seconds();
            let day = if ahead <= 0 {
                0
            } else {
                (ahead as f64 / DAY_SECONDS).floor() as usize
            };
            if let Some(b) = buckets.get_mut(day) {
                *b += 1;
            }
        }
        let log: Vec<ReviewLogEntry> = store
            .review_log(None)?
            .into_iter()
            .filter(|r| area.is_none() || in_deck(&r.card_id))
            .collect();
        let repeats: Vec<&ReviewLogEntry> = log
            .iter()
            .filter(|r| r.state_before != CardLearningState::New)
            .collect();
        let retention = (!repeats.is_empty()).then(|| {
            let recalled = repeats
                .iter()
                .filter(|r| r.grade != ReviewGrade::Again)
                .count();
            recalled as f64 / repeats.len() as f64
        });
        let total = match area {
            None => self.content().cards().len() + gap_ids.len(),
            Some(GAP_AREA) => gap_ids.len(),
            Some(want) => self
                .content()
                .cards()
                .iter()
                .filter(|c| c.area.as_str() == want)
                .count(),
        };
        let total_cards = u32::try_from(total).unwrap_or(u32::MAX);
        Ok(StudyStats {
            due_today: buckets[0],
            new: total_cards.saturating_sub(reviewed_known),
            reviewed_total: u32::try_from(log.len()).unwrap_or(u32::MAX),
            due_next_7_days: buckets,
            retention,
        })
    }
}

fn due_card(card: &Card, state: CardLearningState, due: Option<String>) -> DueCard {
    DueCard {
        card_id: card.id.clone(),
        title: card.title.clone(),
        kind: card.kind.as_str().to_string(),
        area: card.area.as_str().to_string(),
        state,
        due,
        reason: None,
    }
}
