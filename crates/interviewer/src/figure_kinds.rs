//! What kind of figure a candidate said, for the questions that quote it: a target that can be
//! measured ("150 milliseconds", "ninety percent"), or a load, size or cost that scales ("three
//! thousand searches a second", "ten cents a PR").

use rehearse_core::normalize_for_match;

/// Units of a figure that is measured rather than chosen: times, shares, costs and rates.
const MEASURED_UNITS: &[&str] = &[
    "ms",
    "millisecond",
    "milliseconds",
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "percent",
    "dollar",
    "dollars",
    "cent",
    "cents",
    "qps",
    "rps",
    "latency",
    "budget",
    "accuracy",
    "recall",
    "precision",
    "uptime",
    "p95",
    "p99",
];

pub(crate) fn is_measurable(fragment: &str) -> bool {
    let norm = normalize_for_match(fragment);
    let ws: Vec<&str> = norm.split(' ').collect();
    // "three thousand searches a second" is a load, asked where it comes from; a time is a
    // target only when it is not the period of a rate.
    let is_rate = ws.windows(2).any(|p| {
        matches!(p[0], "a" | "an" | "per")
            && matches!(p[1], "second" | "minute" | "hour" | "day" | "month")
    });
    !is_rate
        && (fragment.contains('%')
            || fragment.contains('$')
            || ws.iter().any(|w| MEASURED_UNITS.contains(w)))
}

/// How a small count opens ("two questions", "a couple of retries").
const SMALL_COUNTS: &[&str] = &[
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "couple",
];

/// Whether "what changes in the design at ten times that?" fits a figure: a load, a size or a
/// cost scales tenfold; a share ("eighty-five percent", "three times"), a time that is no rate
/// ("a three second budget", "150 milliseconds") or a small count of things ("two questions")
/// does not.
pub(crate) fn scales_tenfold(fragment: &str) -> bool {
    let norm = normalize_for_match(fragment);
    let ws: Vec<&str> = norm.split(' ').collect();
    let is_rate = ws.windows(2).any(|p| {
        matches!(p[0], "a" | "an" | "per")
            && matches!(
                p[1],
                "second" | "minute" | "hour" | "day" | "week" | "month" | "year"
            )
    });
    let money = fragment.contains('$')
        || ws.iter().any(|w| {
            matches!(
                *w,
                "dollar" | "dollars" | "cent" | "cents" | "euro" | "euros"
            )
        });
    let share = fragment.contains('%')
        || ws
            .iter()
            .any(|w| matches!(*w, "percent" | "times" | "x" | "fold"));
    let time = ws.iter().any(|w| {
        matches!(
            *w,
            "ms" | "millisecond"
                | "milliseconds"
                | "second"
                | "seconds"
                | "minute"
                | "minutes"
                | "hour"
                | "hours"
        )
    });
    let magnitude = ws.iter().any(|w| {
        matches!(*w, "hundred" | "thousand" | "million" | "billion" | "k")
            || w.chars().filter(char::is_ascii_digit).count() >= 2
    });
    let small = ws.first().is_some_and(|w| {
        SMALL_COUNTS.contains(w) || (w.len() == 1 && w.chars().all(|c| c.is_ascii_digit()))
    });
    if share || (time && !is_rate) {
        return false;
    }
    money || is_rate || magnitude || !small
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_times_a_figure_is_asked_only_of_loads_sizes_and_costs() {
        for yes in [
            "three thousand searches a second",
            "twenty dollar",
            "ten cents",
            "five million posts",
            "400 repos",
            "two hundred thousand developers",
        ] {
            assert!(scales_tenfold(yes), "{yes}");
        }
        for no in [
            "eighty-five percent",
            "three times",
            "two questions",
            "three second budget",
            "150 millisecond",
            "one percent",
        ] {
            assert!(!scales_tenfold(no), "{no}");
        }
    }
}
