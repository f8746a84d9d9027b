//! Properties of tagging with the shipped model: any article gets exactly one tag per
//! paragraph, in order, with probabilities that sum to one, and pieces that tile the text.

use std::sync::OnceLock;

use chaff::{Article, Model, Tagger};
use proptest::prelude::*;

/// Loaded once for every case: the 4 MB model's checksum and parsing are not what these
/// properties test.
fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::builtin().expect("built-in model"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn tagging_keeps_count_and_order_of_paragraphs(
        paragraphs in proptest::collection::vec("\\PC{0,80}", 0..12),
        pieces in any::<bool>(),
    ) {
        let model = model();
        let article = Article::new("p", paragraphs.clone());
        let tagged = Tagger::new(model).pieces(pieces).tag(std::slice::from_ref(&article)).unwrap();
        prop_assert_eq!(tagged.len(), 1);
        let tagged = &tagged[0];
        prop_assert_eq!(tagged.paragraphs.len(), paragraphs.len());
        for (i, (p, text)) in tagged.paragraphs.iter().zip(&paragraphs).enumerate() {
            prop_assert_eq!(p.position, i);
            prop_assert_eq!(p.text, text.as_str());
            let sum: f32 = p.probabilities.iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-3, "{}", sum);
            prop_assert!(p.label.index() < model.labels().len());
            prop_assert_eq!(p.confidence, p.probabilities[p.label.index()]);
            let mut end = 0;
            for piece in &p.pieces {
                prop_assert!(piece.range.start >= end && piece.range.end <= text.len());
                prop_assert_eq!(piece.text, &text[piece.range.clone()]);
                end = piece.range.end;
            }
        }
    }
}
