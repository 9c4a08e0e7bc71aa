//! The distribution-strategy chooser: the seed guide's table of TensorFlow strategies as a
//! decision, with the caveats that matter today.

use serde::Serialize;

/// Where the model's variables should live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Params {
    /// A copy on every device, kept in step.
    EachDevice,
    /// Once, on the host CPU.
    Cpu,
    /// On dedicated parameter-server tasks.
    ParameterServers,
}

/// The training set-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Setup {
    pub nodes: u32,
    pub devices_per_node: u32,
    pub tpu: bool,
    /// Asynchronous updates wanted (workers do not wait for each other).
    pub asynchronous: bool,
    pub params: Params,
}

/// The chosen strategy and the facts of its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub strategy: &'static str,
    pub api: &'static str,
    pub synchronous: bool,
    pub nodes: &'static str,
    pub devices: &'static str,
    pub variables: &'static str,
    pub why: String,
    pub caveats: Vec<&'static str>,
    pub reference: &'static str,
}

const GUIDE: &str = "https://www.tensorflow.org/guide/distributed_training";

/// A set-up no strategy can train with; the message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Impossible {
    #[error(
        "a job needs at least one machine and at least one device per machine; give --nodes and --devices of 1 or more"
    )]
    NoHardware,
    #[error(
        "TPUs train only synchronously (TPUStrategy uses all-reduce across cores); drop --async, or drop --tpu for asynchronous parameter-server training on CPUs or GPUs"
    )]
    AsyncOnTpu,
    #[error(
        "on TPUs the variables are mirrored on every core; use --params each-device with --tpu"
    )]
    TpuVariablesElsewhere,
    #[error(
        "asynchronous updates need several machines (ParameterServerStrategy with workers and parameter servers); use --nodes 2 or more, or drop --async for synchronous training"
    )]
    AsyncOnOneMachine,
    #[error(
        "parameter servers are separate machines; use --nodes 2 or more, or --params each-device or cpu on one machine"
    )]
    ParameterServersOnOneMachine,
    #[error(
        "variables on the host CPU (CentralStorageStrategy) is a one-machine strategy; use --nodes 1, or --params each-device or parameter-servers across machines"
    )]
    CpuVariablesAcrossMachines,
}

/// Refuse set-ups no strategy fits, instead of quietly answering another question.
pub fn validate(s: &Setup) -> Result<(), Impossible> {
    if s.nodes == 0 || s.devices_per_node == 0 {
        return Err(Impossible::NoHardware);
    }
    if s.tpu && s.asynchronous {
        return Err(Impossible::AsyncOnTpu);
    }
    if s.tpu && s.params != Params::EachDevice {
        return Err(Impossible::TpuVariablesElsewhere);
    }
    if s.nodes == 1 && s.asynchronous {
        return Err(Impossible::AsyncOnOneMachine);
    }
    if s.nodes == 1 && s.params == Params::ParameterServers {
        return Err(Impossible::ParameterServersOnOneMachine);
    }
    if s.nodes > 1 && s.params == Params::Cpu {
        return Err(Impossible::CpuVariablesAcrossMachines);
    }
    Ok(())
}

/// A set-up as given, possibly with answers missing (no flag given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    pub nodes: Option<u32>,
    pub devices_per_node: Option<u32>,
    pub tpu: bool,
    pub asynchronous: bool,
    pub params: Params,
}

/// An answer the chooser needs and was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    Nodes,
    Devices,
}

impl Missing {
    /// The command-line flag that gives it.
    pub fn flag(self) -> &'static str {
        match self {
            Missing::Nodes => "--nodes N",
            Missing::Devices => "--devices N",
        }
    }

    /// The question to ask for it.
    pub fn question(self) -> &'static str {
        match self {
            Missing::Nodes => "How many machines (nodes) does the job use?",
            Missing::Devices => "How many accelerators (GPUs, or devices) does each machine have?",
        }
    }
}

impl Partial {
    /// A set-up no answer could rescue is refused at once ([`Impossible`]); otherwise the
    /// complete set-up, or the answers still needed. TPU training needs no machine or
    /// device count (TPUStrategy is the answer whatever they are).
    pub fn check(&self) -> Result<Result<Setup, Vec<Missing>>, Impossible> {
        let known = |n: Option<u32>| n.unwrap_or(2);
        // Rules that hold whatever the missing counts turn out to be.
        let probe = |nodes: u32| Setup {
            nodes,
            devices_per_node: known(self.devices_per_node),
            tpu: self.tpu,
            asynchronous: self.asynchronous,
            params: self.params,
        };
        match self.nodes {
            Some(n) => validate(&probe(n))?,
            // Unknown machine count: refuse only what no count allows.
            None => {
                if let (Err(a), Err(b)) = (validate(&probe(1)), validate(&probe(2))) {
                    return Err(if a == b { a } else { b });
                }
            }
        }
        let mut missing = Vec::new();
        if !self.tpu {
            if self.nodes.is_none() {
                missing.push(Missing::Nodes);
            }
            if self.devices_per_node.is_none() {
                missing.push(Missing::Devices);
            }
        }
        if !missing.is_empty() {
            return Ok(Err(missing));
        }
        let setup = Setup {
            nodes: self.nodes.unwrap_or(1),
            devices_per_node: self.devices_per_node.unwrap_or(1),
            ..probe(1)
        };
        validate(&setup)?;
        Ok(Ok(setup))
    }
}

/// [`validate`], then [`choose`].
pub fn try_choose(s: &Setup) -> Result<Choice, Impossible> {
    validate(s)?;
    Ok(choose(s))
}

/// The strategy for a set-up; it assumes [`validate`] passed (use [`try_choose`] on input).
pub fn choose(s: &Setup) -> Choice {
    let multi_node = s.nodes > 1;
    if s.tpu {
        return Choice {
            strategy: "TPUStrategy",
            api: "tf.distribute.TPUStrategy",
            synchronous: true,
            nodes: "one TPU host, or many in a Pod slice",
            devices: "many TPU cores",
            variables: "mirrored on every TPU core",
            why: "TPUs train with synchronous all-reduce across their cores".into(),
            caveats: vec![
                "Operations run through the XLA compiler: custom ops inside the training step and dynamic shapes are the usual blockers.",
                "Keep shapes static and batches large (multiples of 8 per core) to keep the matrix units busy.",
            ],
            reference: GUIDE,
        };
    }
    if multi_node && (s.asynchronous || s.params == Params::ParameterServers) {
        return Choice {
            strategy: "ParameterServerStrategy",
            api: "tf.distribute.experimental.ParameterServerStrategy (alias tf.distribute.ParameterServerStrategy)",
            synchronous: false,
            nodes: "many: a chief (coordinator), workers and parameter servers",
            devices: "workers may have one or more GPUs",
            variables: "on the parameter servers",
            why: if s.asynchronous {
                "asynchronous updates across machines need parameter servers that hold the variables".into()
            } else {
                "variables on dedicated parameter servers is the parameter-server architecture"
                    .into()
            },
            caveats: vec![
                "Updates are asynchronous by default: workers may apply stale gradients.",
                "The API still lives in the experimental namespace; training runs through a ClusterCoordinator (Keras fit or a custom loop).",
                "Fits very large embedding tables and many cheap, pre-emptible workers; for dense models on GPUs, synchronous all-reduce is usually faster.",
            ],
            reference: GUIDE,
        };
    }
    if multi_node {
        return Choice {
            strategy: "MultiWorkerMirroredStrategy",
            api: "tf.distribute.MultiWorkerMirroredStrategy",
            synchronous: true,
            nodes: "many",
            devices: "one or more GPUs per node",
            variables: "mirrored on every device of every node",
            why: "synchronous training across several machines".into(),
            caveats: vec![
                "Needs TF_CONFIG on every worker; managed training on Agent Platform sets it for you.",
                "All-reduce across machines can bottleneck on the network: Reduction Server on Agent Platform speeds it up for GPU jobs.",
                "Workers must checkpoint: if one fails, the job restarts from the last checkpoint (BackupAndRestore).",
            ],
            reference: GUIDE,
        };
    }
    if s.devices_per_node > 1 && s.params == Params::Cpu {
        return Choice {
            strategy: "CentralStorageStrategy",
            api: "tf.distribute.experimental.CentralStorageStrategy",
            synchronous: true,
            nodes: "one",
            devices: "many GPUs",
            variables: "once, on the CPU (on the GPU if there is only one)",
            why: "variables kept in one place on the host while the GPUs compute in step".into(),
            caveats: vec![
                "Experimental; MirroredStrategy is the usual choice for several GPUs on one machine.",
            ],
            reference: GUIDE,
        };
    }
    if s.devices_per_node > 1 {
        return Choice {
            strategy: "MirroredStrategy",
            api: "tf.distribute.MirroredStrategy",
            synchronous: true,
            nodes: "one",
            devices: "many GPUs",
            variables: "mirrored on every GPU",
            why: "synchronous data-parallel training on several GPUs of one machine".into(),
            caveats: vec![
                "Scale the global batch size with the number of GPUs (keep the per-GPU batch the same) and revisit the learning rate.",
            ],
            reference: GUIDE,
        };
    }
    Choice {
        strategy: "OneDeviceStrategy (or the default strategy)",
        api: "tf.distribute.OneDeviceStrategy / tf.distribute.get_strategy()",
        synchronous: true,
        nodes: "one",
        devices: "one",
        variables: "on that one device",
        why: "one device: no distribution is needed".into(),
        caveats: vec![
            "OneDeviceStrategy pins work to a device you name; the default strategy lets TensorFlow place it.",
            "Useful to write code against the strategy API now and switch to a distributed strategy later.",
        ],
        reference: GUIDE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(nodes: u32, devices: u32, tpu: bool, asynchronous: bool, params: Params) -> Setup {
        Setup {
            nodes,
            devices_per_node: devices,
            tpu,
            asynchronous,
            params,
        }
    }

    #[test]
    fn every_row_of_the_seed_table() {
        let cases = [
            (
                setup(1, 4, false, false, Params::EachDevice),
                "MirroredStrategy",
                true,
            ),
            (
                setup(1, 8, true, false, Params::EachDevice),
                "TPUStrategy",
                true,
            ),
            (
                setup(4, 2, false, false, Params::EachDevice),
                "MultiWorkerMirroredStrategy",
                true,
            ),
            (
                setup(4, 1, false, true, Params::ParameterServers),
                "ParameterServerStrategy",
                false,
            ),
            (
                setup(1, 4, false, false, Params::Cpu),
                "CentralStorageStrategy",
                true,
            ),
            (
                setup(1, 1, false, false, Params::EachDevice),
                "OneDeviceStrategy (or the default strategy)",
                true,
            ),
        ];
        for (s, name, sync) in cases {
            let c = choose(&s);
            assert_eq!(c.strategy, name, "{s:?}");
            assert_eq!(c.synchronous, sync, "{s:?}");
        }
    }

    #[test]
    fn impossible_setups_are_refused_with_a_reason() {
        let cases = [
            (
                setup(0, 0, false, false, Params::EachDevice),
                Impossible::NoHardware,
            ),
            (
                setup(2, 0, false, false, Params::EachDevice),
                Impossible::NoHardware,
            ),
            (
                setup(1, 8, true, true, Params::EachDevice),
                Impossible::AsyncOnTpu,
            ),
            (
                setup(1, 8, true, false, Params::Cpu),
                Impossible::TpuVariablesElsewhere,
            ),
            (
                setup(1, 1, false, true, Params::EachDevice),
                Impossible::AsyncOnOneMachine,
            ),
            (
                setup(1, 4, false, false, Params::ParameterServers),
                Impossible::ParameterServersOnOneMachine,
            ),
            (
                setup(3, 2, false, false, Params::Cpu),
                Impossible::CpuVariablesAcrossMachines,
            ),
        ];
        for (s, why) in cases {
            assert_eq!(try_choose(&s), Err(why.clone()), "{s:?}");
            assert!(
                why.to_string().contains("--"),
                "the reason says which flag to change: {why}"
            );
        }
    }

    #[test]
    fn every_row_of_the_seed_table_is_possible() {
        for (nodes, devices, tpu, asynchronous, params) in [
            (1, 4, false, false, Params::EachDevice),
            (1, 8, true, false, Params::EachDevice),
            (4, 2, false, false, Params::EachDevice),
            (4, 1, false, true, Params::ParameterServers),
            (1, 4, false, false, Params::Cpu),
            (1, 1, false, false, Params::EachDevice),
        ] {
            let s = setup(nodes, devices, tpu, asynchronous, params);
            assert_eq!(try_choose(&s), Ok(choose(&s)));
        }
    }

    fn partial(nodes: Option<u32>, devices: Option<u32>, tpu: bool, asy: bool) -> Partial {
        Partial {
            nodes,
            devices_per_node: devices,
            tpu,
            asynchronous: asy,
            params: Params::EachDevice,
        }
    }

    #[test]
    fn missing_answers_are_named_not_guessed() {
        assert_eq!(
            partial(None, None, false, false).check(),
            Ok(Err(vec![Missing::Nodes, Missing::Devices]))
        );
        assert_eq!(
            partial(Some(2), None, false, false).check(),
            Ok(Err(vec![Missing::Devices]))
        );
        let full = partial(Some(1), Some(4), false, false)
            .check()
            .unwrap()
            .unwrap();
        assert_eq!(choose(&full).strategy, "MirroredStrategy");
        // TPUs need no counts.
        let tpu = partial(None, None, true, false).check().unwrap().unwrap();
        assert_eq!(choose(&tpu).strategy, "TPUStrategy");
    }

    #[test]
    fn impossible_combinations_are_refused_before_asking() {
        assert_eq!(
            partial(None, None, true, true).check(),
            Err(Impossible::AsyncOnTpu)
        );
        assert_eq!(
            partial(Some(1), None, false, true).check(),
            Err(Impossible::AsyncOnOneMachine)
        );
        // --async without --nodes could still work on several machines: ask.
        assert_eq!(
            partial(None, Some(1), false, true).check(),
            Ok(Err(vec![Missing::Nodes]))
        );
    }

    #[test]
    fn experimental_ones_say_so() {
        let c = choose(&setup(1, 2, false, false, Params::Cpu));
        assert!(c.api.contains("experimental") && c.caveats[0].contains("Experimental"));
        let c = choose(&setup(3, 1, false, true, Params::EachDevice));
        assert!(
            c.caveats
                .iter()
                .any(|x| x.contains("asynchronous by default"))
        );
    }
}
