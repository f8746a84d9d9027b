//! Properties of tagging with the shipped model: any article gets exactly one tag per
//! paragraph, in order, with probabilities that sum to one.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn tagging_keeps_count_and_order_of_paragraphs(
        paragraphs in proptest::collection::vec("\\PC{0,80}", 0..12),
        split in any::<bool>(),
    ) {
        let model = chaff::Model::builtin().unwrap();
        let texts: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let repeats = vec![chaff::repetition::Repeats::default(); texts.len()];
        let tags = model.tag_article(&texts, &repeats, split);
        prop_assert_eq!(tags.len(), texts.len());
        for (tag, text) in tags.iter().zip(&texts) {
            let sum: f32 = tag.probabilities.iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-3, "{}", sum);
            prop_assert!(tag.label < model.labels().len());
            let mut end = 0;
            for piece in &tag.pieces {
                prop_assert!(piece.range.start >= end && piece.range.end <= text.len());
                end = piece.range.end;
            }
        }
    }
}
