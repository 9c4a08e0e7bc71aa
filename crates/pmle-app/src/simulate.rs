//! `pmle simulate`: the engine graded by synthetic learners answering this pack.

use pmle_content::model::Kind;
use pmle_engine::sim::{SimConfig, SimPack, SimReport, simulate};

use crate::App;

impl App {
    /// Run the learner simulation on the loaded pack.
    pub fn simulate(&self, cfg: &SimConfig) -> SimReport {
        let choose: Vec<u8> = self
            .pack
            .questions
            .iter()
            .map(|q| match q.kind {
                Kind::Single => 1,
                Kind::Multiple { choose } => choose as u8,
            })
            .collect();
        let pack = SimPack {
            items: &self.index.items,
            choose: &choose,
            weights: &self.index.weights,
            n_topics: self.index.n_topics,
        };
        simulate(&pack, cfg)
    }
}
