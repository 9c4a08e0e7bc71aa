use super::*;

fn pack_items() -> (Vec<ItemMeta>, Vec<u8>) {
    let items: Vec<ItemMeta> = (0..180)
        .map(|i| ItemMeta {
            section: i % 6,
            topic: i % 18,
            difficulty: ((i / 6) % 3) as u8 + 1,
            options: 4,
            choose: 1,
            retired: false,
        })
        .collect();
    let choose = (0..180).map(|i| if i % 7 == 0 { 2 } else { 1 }).collect();
    (items, choose)
}

const W: [f64; 6] = [13.0, 16.0, 21.0, 20.0, 18.0, 13.0];

fn small() -> SimConfig {
    SimConfig {
        learners: 4,
        max_answers: 600,
        ..SimConfig::default()
    }
}

#[test]
fn deterministic_for_a_seed() {
    let (items, choose) = pack_items();
    let pack = SimPack {
        items: &items,
        choose: &choose,
        weights: &W,
        n_topics: 18,
    };
    assert_eq!(simulate(&pack, &small()), simulate(&pack, &small()));
}

#[test]
fn learners_improve_with_practice() {
    let (items, choose) = pack_items();
    let pack = SimPack {
        items: &items,
        choose: &choose,
        weights: &W,
        n_topics: 18,
    };
    let mut l = Learner::new(&pack, 3);
    let before = l.expected_score(&pack);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for i in 0..300 {
        l.answer(&pack, i % 180, &mut rng, LearningModel::WithinReach);
    }
    assert!(l.expected_score(&pack) > before + 0.05);
}

#[test]
fn forgetting_pulls_skill_back() {
    let (items, choose) = pack_items();
    let pack = SimPack {
        items: &items,
        choose: &choose,
        weights: &W,
        n_topics: 18,
    };
    let mut l = Learner::new(&pack, 3);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for i in 0..300 {
        l.answer(&pack, i % 180, &mut rng, LearningModel::WithinReach);
    }
    let learned = l.expected_score(&pack);
    for _ in 0..120 {
        l.forget_one_day();
    }
    assert!(l.expected_score(&pack) < learned);
}
