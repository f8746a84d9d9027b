//! Cues: surface patterns that captions, appeals and page furniture carry across publishers
//! (credit lines, agency names, currency amounts, imperative asks, timestamps...). Each cue
//! becomes one feature, so the model can learn them from a few examples and carry them to
//! publishers whose wording it has never seen.

use regex_automata::hybrid::dfa::{Cache, OverlappingState, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

/// The cues, by name, with the pattern that detects each. One pass of [`Cues`]' DFA over
/// the paragraph finds them all. Names are stored in feature hashes: adding, renaming or
/// changing one changes the features, so bump `crate::model::file::FORMAT_VERSION` when
/// editing this table.
const CUES: &[(&str, &str)] = &[
    // Captions and credits.
    (
        "credit_slash_paren_end",
        r"\([^()]{1,80}/[^()]{1,60}\)\s*\.?\s*$",
    ),
    ("paren_end", r"\([^()]{2,60}\)\s*\.?\s*$"),
    ("square_end", r"\[[^\[\]]{2,40}\]\s*$"),
    (
        "credit_label",
        r"(?i)\b(photograph|photo|photos|image|images|picture|pictures|pic|credit|illustration|graphic|video|footage|screenshot|source|styling|photography)\s*(by\s*)?[:|]",
    ),
    (
        "photo_by",
        r"(?i)\b(photo(graph)?s?|pictures?|images?|illustration|video|footage)\s+(by|courtesy|credit|via)\b",
    ),
    (
        "agency_name",
        r"(?i)\b(ap photo|associated press|getty images|getty|reuters|afp|epa|efe|shutterstock|alamy|pa wire|pa media|aap|bloomberg|istock|nurphoto|xinhua|sipa|zuma|rex features|canadian press|gallo images|anadolu|imago|handout|supplied)\b",
    ),
    // A credit line's agency after a slash ("Name/AP"), a comma or a bar ("Name, AP",
    // "Name | Staff"), or a courtesy/handout tail. The comma and bar forms were added after
    // reading newsroom-dev's missed captions (see the note on `video_placeholder`).
    (
        "credit_tail",
        r"(?i)(/\s?(ap|afp|reuters|getty|pa|epa|aap|bloomberg|staff|file|handout|supplied)\b[^.!?]{0,30}|\b(supplied|file photo|handout|courtesy[^.!?]{0,40}))\)?\s*\.?$|[,|]\s?(the associated press|associated press|ap|ap photo|afp|reuters|getty images|bloomberg|pa|epa|aap|staff( photo)?)\s*$",
    ),
    // "Media caption" has no word boundary after it: scrapers glue the label to the caption
    // ("Media captionDrone footage shows...").
    (
        "gallery_words",
        r"(?i)\b(open image in gallery|view gallery|view photos|enlarge this image|enlarge image|toggle caption|slideshow|image caption|image copyright|caption|pictured|above:|gallery|photo of the day|click to enlarge|view larger|expand image|hide caption|show caption)\b|\bmedia caption",
    ),
    (
        "counter",
        r"(?i)^\W*((image|photo|slide|picture|item)\s*)?\d{1,3}\s*(of|/)\s*\d{1,3}\b",
    ),
    ("duration", r"(^|\s)\d{1,2}:\d{2}(:\d{2})?\s*$"),
    // What a video player leaves in the text when it does not play: "this video is
    // unavailable", "your browser doesn't support...", an embed's `<iframe`, a glued
    // "VIDEO3:45" (docs/decisions.md, "Cue history").
    (
        "video_placeholder",
        r"(?i)(\b(video|media playback|playback|clip)( is)? (unsupported|not supported|unavailable|not available)|\b(can'?t|cannot) be played|not supported (on|in) (your|this) (device|browser)|browser (does not|doesn't) support|<iframe|^\W*video\s*\d{1,2}:\d{2})",
    ),
    // "Name / For Outlet", "Name/Outlet", alone or after the caption's last sentence; of
    // four credit shapes tried, the only one that moved a score (docs/decisions.md).
    (
        "slash_credit",
        r"(^|[.!?]\s+)[A-Z][\w.'-]*(\s[A-Z][\w.'-]*){0,3}\s?/\s?([Ff]or\s)?[A-Z][\w.'&-]*(\s[A-Z&][\w.'&-]*){0,4}\s*$",
    ),
    (
        "copyright",
        r"(?i)(©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved)",
    ),
    // Appeals.
    (
        "currency_amount",
        r"(?i)((\$|£|€|¥|₹)\s?\d|\d\s?(€|£)|\b(rs\.?|inr|usd|aud|cad|nzd|eur|gbp)\s?\d|\b\d+(\.\d+)?\s?(dollars|pounds|euros|cents|pence|rupees|rand)\b)",
    ),
    (
        "per_period",
        r"(?i)(\b(per|a|each|every|/)\s?(month|year|week|mo|yr|day)\b|\b(monthly|annually|annual|yearly|weekly)\b)",
    ),
    (
        "appeal_start",
        r"(?i)^\W*(support|donate|give|contribute|subscribe|join|become|help|chip in|make a|back|keep|fund|upgrade|start your|try|unlock|get unlimited|get full|continue reading|keep reading|already a|please|will you|can you|if you|before you go|while you'?re here|since you'?re here)\b",
    ),
    (
        "appeal_words",
        r"(?i)\b(donat\w*|your support|support (us|our|independent|local|quality|the work|journalism)|membership|become a (member|supporter|subscriber|patron|friend)|subscri(be|ption|ber)s?|paywall|free (articles?|stories|story)|articles? left|unlimited (digital )?access|tax[- ]deductible|reader[- ]funded|reader[- ]supported|contribut(e|ion|ions)|gifts?|recurring|one[- ]time|chip in|sustaining|patron|fund(s|ed|ing)? (our|us|independent)|cancel any ?time|trial)\b",
    ),
    (
        "our_journalism",
        r"(?i)\b(our (journalism|reporting|newsroom|reporters|journalists|work|mission|independence)|independent journalism|quality journalism|local journalism|we (rely|depend|need|can'?t|cannot|ask|believe)|readers like you|people like you)\b",
    ),
    (
        "button_end",
        r"(?i)\b(support now|donate now|donate today|give now|give today|subscribe now|subscribe today|join now|join today|join us|learn more|read more|sign up|continue|renew|upgrade|log ?in|sign ?in|maybe later|other|support us)\W*$",
    ),
    (
        "short_button",
        r"(?i)^\W*(donate|subscribe|support|join|give|contribute|sign in|log in|register|other|monthly|annual|one-time|once)\W*$",
    ),
    // Furniture.
    (
        "newsletter",
        r"(?i)\b(newsletters?|sign up|inbox|unsubscribe|email address|e-mail address|delivered to your|opt out)\b",
    ),
    (
        "share_follow",
        r"(?i)\b(share (this|on|via|the)|follow us|follow @|facebook|twitter|whatsapp|linkedin|instagram|pinterest|reddit|telegram|tiktok|youtube|email this|copy link|tweet|opens in (a )?new window)\b",
    ),
    (
        "teaser_start",
        r"(?i)^\W*(read more|read next|related|more from|more on|also read|read also|see also|recommended|most (read|popular|viewed)|you may (also )?like|trending|up next|more:|watch:|listen:|latest|top stories|editor'?s picks?)\b",
    ),
    (
        "timestamp",
        r"(?i)(\b\d{1,2}[:.]\d{2}\s?(am|pm|a\.m\.|p\.m\.)|\b(updated|published|posted|last modified)\b.{0,24}\d|\b\d+\s+(minutes?|hours?|days?|mins?|hrs?)\s+ago\b)",
    ),
    (
        "date",
        r"(?i)(\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?,?\s+\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)",
    ),
    (
        "byline",
        r"^\W*(By|BY|Written by|Words by|Reporting by|Story by|Report by|Interview by)\s+[A-Z]",
    ),
    (
        "contact",
        r"(?i)([\w.+-]+@[\w-]+\.[\w.]+|https?://|www\.|\.com\b|\.org\b|\.co\.uk\b)",
    ),
    (
        "legal",
        r"(?i)\b(cookies?|privacy (policy|notice|settings)|terms (of|and) (use|service|conditions)|consent|reserved|affiliate|commission)\b",
    ),
    // Opinion and affiliate disclaimers and comment policies, which read like prose. Bare
    // "disclosure" is left out: reporting uses it (docs/decisions.md).
    (
        "disclaimer",
        r"(?i)\b(disclaimer|advertising disclosure|(views|opinions) (and opinions )?expressed|do not necessarily reflect|may (receive|earn|get) (a )?(small )?(share|commission|compensation)|comments are moderated)\b",
    ),
    (
        "advert",
        r"(?i)^\W*(advertisement|advert|sponsored( content)?|supported by|ad|promoted|paid post|partner content)\W*$",
    ),
    (
        "comments",
        r"(?i)\b(comments?|join the (conversation|discussion|debate)|community (guidelines|standards)|log in to comment)\b",
    ),
    (
        "republish",
        r"(?i)\b(originally (appeared|published|ran)|first (appeared|published)|republish\w*|reprint\w*|syndicat\w*|this (story|article) (was|is) (produced|published|written))\b",
    ),
    (
        "bio",
        r"^\W*[A-Z]\w+ ([A-Z]\w+ )?(is|was) (a|an|the) ([\w-]+ ){0,4}(reporter|writer|editor|correspondent|journalist|columnist|contributor|producer|photographer)\b",
    ),
    // Reporting.
    ("quote_start", r#"^\W{0,6}("|“|‘|'|«)"#),
    (
        "speech_verb",
        r"(?i)\b(said|says|told|according to|added|explained|stated|argued|recalled|wrote|asked)\b",
    ),
    (
        "dateline",
        r"^[A-Z][A-Z .,'-]{2,40}(\([^)]{1,30}\))?\s*(—|–|-){1,2}\s",
    ),
    (
        "story_actors",
        r"(?i)\b(he|she|they|his|her|their|police|officials?|court|government|minister|company|council)\b",
    ),
];

/// Compiled cues, built once per model: one lazy DFA over every pattern, searched for all
/// of them at once, with one cache per thread.
///
/// Built with regex-automata directly rather than as a `regex::bytes::RegexSet`, which
/// searches with the same lazy DFA but also builds engines this search never uses (a
/// reverse DFA, a PikeVM, a backtracker, literal prefilters): 7-10 ms of every start, in
/// a command whose whole start-up budget is 5 ms (docs/decisions.md, "Cue compilation").
/// A unit test checks that both find the same cues on every paragraph of data/.
pub struct Cues {
    dfa: DFA,
    caches: Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>,
    /// Each cue's name hashed as a feature token, in table order.
    hashes: Vec<u64>,
}

/// The syntax every cue is written in: bytes, ASCII classes and ASCII word boundaries.
/// Unicode boundaries made the search fall back to the slow PikeVM engine
/// (docs/decisions.md, "Cue history").
fn cue_syntax() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

impl Default for Cues {
    fn default() -> Self {
        let patterns: Vec<&str> = CUES.iter().map(|(_, pattern)| *pattern).collect();
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(false)
                    // The cap the RegexSet had: beyond it the cache is cleared and refilled.
                    .cache_capacity(32 << 20),
            )
            .syntax(cue_syntax())
            .thompson(thompson::Config::new().utf8(false))
            .build_many(&patterns)
            .expect("cue patterns are valid regular expressions");
        let for_threads = dfa.clone();
        Cues {
            dfa,
            caches: Pool::new(Box::new(move || for_threads.create_cache())),
            hashes: CUES
                .iter()
                .map(|(name, _)| crate::text::features::cue_hash(name))
                .collect(),
        }
    }
}

impl Cues {
    /// Calls `each` with the name and feature hash of every cue found in `text`, in table
    /// order.
    pub fn for_each_match(&self, text: &str, mut each: impl FnMut(&'static str, u64)) {
        let mut found = [false; CUES.len()];
        let mut cache = self.caches.get();
        let input = Input::new(text.as_bytes());
        let mut state = OverlappingState::start();
        loop {
            // Cannot fail: the DFA has no quit bytes (ASCII word boundaries) and is never
            // told to give up on a full cache.
            self.dfa
                .try_search_overlapping_fwd(&mut cache, &input, &mut state)
                .expect("the cue search has no failure modes");
            match state.get_match() {
                Some(m) => found[m.pattern().as_usize()] = true,
                None => break,
            }
        }
        for (index, _) in found.iter().enumerate().filter(|(_, f)| **f) {
            each(CUES[index].0, self.hashes[index]);
        }
    }

    /// The names of the cues found in `text` (for tests and tools).
    pub fn matches(&self, text: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.for_each_match(text, |name, _| out.push(name));
        out
    }

    /// Every cue name, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        CUES.iter().map(|(name, _)| *name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(text: &str, cue: &str) -> bool {
        Cues::default().matches(text).contains(&cue)
    }

    #[test]
    fn credit_shapes_are_found() {
        assert!(has(
            "The minister arrives at the talks (Jane Roe/PA)",
            "credit_slash_paren_end"
        ));
        assert!(has("Photograph: Sam Lee/Reuters", "credit_label"));
        assert!(has("Fans at the final. Photo by Ana Ruiz", "photo_by"));
        assert!(has(
            "A flooded road near the town. (Getty Images)",
            "paren_end"
        ));
        assert!(has("Protesters gather. AP Photo/Kim Doe", "agency_name"));
        assert!(has("3 of 12", "counter"));
        assert!(has("Highlights from the match 2:14", "duration"));
        assert!(has("Pat Kimura / For The Gazette", "slash_credit"));
        assert!(has(
            "Rooftops in the old town. Pat Kimura/Flickr",
            "slash_credit"
        ));
        assert!(!has("Sales rose 3/4 of a point.", "slash_credit"));
    }

    #[test]
    fn comma_and_bar_credits_end_a_line_but_a_wire_sentence_does_not() {
        assert!(has("Dana Whitfield, AP", "credit_tail"));
        assert!(has("Lou Ortiz, The Associated Press", "credit_tail"));
        assert!(has("Gina Koval | Staff", "credit_tail"));
        // A reporting sentence that names the agency ends with more than the agency.
        assert!(!has(
            "The talks collapsed on Monday, Reuters reported.",
            "credit_tail"
        ));
        assert!(!has("He later joined AP.", "credit_tail"));
    }

    #[test]
    fn player_furniture_is_found_even_glued() {
        assert!(has(
            "Media captionDivers search the harbour",
            "gallery_words"
        ));
        assert!(has("Click to enlarge", "gallery_words"));
        assert!(has(
            "Playback of this clip is not supported on your device",
            "video_placeholder"
        ));
        assert!(has(
            "Your browser doesn't support the video player",
            "video_placeholder"
        ));
        assert!(has("VIDEO2:1402:14", "video_placeholder"));
        assert!(has("<iframe width=\"476\" src=\"x\">", "video_placeholder"));
        assert!(!has(
            "The footage was not available to reporters until Friday.",
            "video_placeholder"
        ));
    }

    #[test]
    fn appeal_shapes_are_found() {
        assert!(has("Give $10 a month to keep us going", "currency_amount"));
        assert!(has("Give $10 a month to keep us going", "per_period"));
        assert!(has("Support our newsroom today", "appeal_start"));
        assert!(has("You have 2 free articles left", "appeal_words"));
        assert!(has("Read more Support Now", "button_end"));
        assert!(has("Donate", "short_button"));
    }

    #[test]
    fn furniture_and_reporting_shapes_are_found() {
        assert!(has("By Maria Lopez", "byline"));
        assert!(has("Updated 4:12 p.m. ET, March 3, 2025", "timestamp"));
        assert!(has("Updated 4:12 p.m. ET, March 3, 2025", "date"));
        assert!(has("Advertisement", "advert"));
        assert!(has(
            "Disclaimer: the views expressed by guest writers are their own.",
            "disclaimer"
        ));
        assert!(has(
            "We may receive a commission when you buy through our links.",
            "disclaimer"
        ));
        assert!(!has(
            "The disclosure is likely to reignite the debate.",
            "disclaimer"
        ));
        assert!(has(
            "\u{201c}We will appeal,\u{201d} she said.",
            "quote_start"
        ));
        assert!(has("LONDON (Reuters) — Prices rose.", "dateline"));
        assert!(!has("Prices rose in London on Monday.", "dateline"));
    }

    /// The cues as the regex crate finds them: one `RegexSet` over the same patterns, as
    /// chaff matched them before it built the DFA itself.
    fn found_by_regex_set(set: &regex::bytes::RegexSet, text: &str) -> Vec<&'static str> {
        set.matches(text.as_bytes())
            .iter()
            .map(|i| CUES[i].0)
            .collect()
    }

    #[test]
    fn the_dfa_finds_what_a_regex_set_finds_on_every_paragraph_of_data() {
        let set = regex::bytes::RegexSetBuilder::new(CUES.iter().map(|(_, p)| format!("(?-u){p}")))
            .dfa_size_limit(32 << 20)
            .build()
            .unwrap();
        let cues = Cues::default();
        let mut checked = 0;
        let mut found = 0;
        for file in ["data/train.csv", "data/test.csv"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let mut reader = csv::Reader::from_path(&path).unwrap();
            let text = reader
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "text")
                .unwrap();
            for record in reader.records() {
                let paragraph = record.unwrap()[text].to_string();
                let ours = cues.matches(&paragraph);
                assert_eq!(ours, found_by_regex_set(&set, &paragraph), "{paragraph:?}");
                checked += 1;
                found += ours.len();
            }
        }
        assert!(checked > 10_000, "only {checked} paragraphs read");
        assert!(
            found > checked,
            "only {found} cues found in {checked} paragraphs"
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = Cues::names().collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
