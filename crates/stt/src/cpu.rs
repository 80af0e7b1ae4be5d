//! Which x86 instruction sets this build's whisper.cpp was compiled for, and whether the
//! computer running it has them.
//!
//! ggml (whisper.cpp's tensor library) is compiled for a fixed set of instruction sets: the
//! portable baseline in `.cargo/config.toml` (x86-64-v3: AVX2, FMA, F16C, BMI2) or, in a
//! developer's native build, everything the build machine has. On a CPU without one of them
//! the first transcription dies with SIGILL (illegal instruction). [`check_cpu`] compares
//! the two before any ggml code that uses them runs, so the user gets a sentence instead.
//!
//! The compiled set is asked from ggml itself (`ggml_cpu_has_*`), not recorded beside it:
//! whisper-rs-sys does not rebuild when a GGML_* variable changes, so a separate record could
//! describe a build other than the one linked. Those functions only return compile-time
//! constants (`#if defined(__AVX2__) return 1`), so calling them is safe on any x86-64 CPU:
//! the Nehalem test in scripts/lib/portable.sh runs this check on a CPU without AVX.

use std::fmt;
use std::os::raw::c_int;

// In libggml-cpu.a, which whisper-rs-sys links; declared in ggml-cpu.h, which its bindings
// leave out.
extern "C" {
    fn ggml_cpu_has_sse3() -> c_int;
    fn ggml_cpu_has_ssse3() -> c_int;
    fn ggml_cpu_has_avx() -> c_int;
    fn ggml_cpu_has_avx2() -> c_int;
    fn ggml_cpu_has_fma() -> c_int;
    fn ggml_cpu_has_f16c() -> c_int;
    fn ggml_cpu_has_bmi2() -> c_int;
    fn ggml_cpu_has_avx_vnni() -> c_int;
    fn ggml_cpu_has_avx512() -> c_int;
    fn ggml_cpu_has_avx512_vbmi() -> c_int;
    fn ggml_cpu_has_avx512_vnni() -> c_int;
    fn ggml_cpu_has_avx512_bf16() -> c_int;
    fn ggml_cpu_has_amx_int8() -> c_int;
}

/// One instruction set ggml may be compiled for.
struct Feature {
    /// As Intel and AMD name it, for the user.
    name: &'static str,
    compiled: unsafe extern "C" fn() -> c_int,
    /// Whether this CPU (and its operating system) supports it.
    present: fn() -> bool,
}

#[cfg(target_arch = "x86_64")]
macro_rules! detected {
    ($($feature:tt),+) => {
        || true $(&& std::is_x86_feature_detected!($feature))+
    };
}

/// In the order of the x86-64 levels. GGML_AVX512 compiles with -mavx512f, -mavx512cd,
/// -mavx512vl, -mavx512dq and -mavx512bw, so all five are required.
#[cfg(target_arch = "x86_64")]
const FEATURES: &[Feature] = &[
    Feature {
        name: "SSE3",
        compiled: ggml_cpu_has_sse3,
        present: detected!("sse3"),
    },
    Feature {
        name: "SSSE3",
        compiled: ggml_cpu_has_ssse3,
        present: detected!("ssse3"),
    },
    Feature {
        name: "AVX",
        compiled: ggml_cpu_has_avx,
        present: detected!("avx"),
    },
    Feature {
        name: "AVX2",
        compiled: ggml_cpu_has_avx2,
        present: detected!("avx2"),
    },
    Feature {
        name: "FMA",
        compiled: ggml_cpu_has_fma,
        present: detected!("fma"),
    },
    Feature {
        name: "F16C",
        compiled: ggml_cpu_has_f16c,
        present: detected!("f16c"),
    },
    Feature {
        name: "BMI2",
        compiled: ggml_cpu_has_bmi2,
        present: detected!("bmi2"),
    },
    Feature {
        name: "AVX-VNNI",
        compiled: ggml_cpu_has_avx_vnni,
        present: detected!("avxvnni"),
    },
    Feature {
        name: "AVX-512",
        compiled: ggml_cpu_has_avx512,
        present: detected!("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"),
    },
    Feature {
        name: "AVX512-VBMI",
        compiled: ggml_cpu_has_avx512_vbmi,
        present: detected!("avx512vbmi"),
    },
    Feature {
        name: "AVX512-VNNI",
        compiled: ggml_cpu_has_avx512_vnni,
        present: detected!("avx512vnni"),
    },
    Feature {
        name: "AVX512-BF16",
        compiled: ggml_cpu_has_avx512_bf16,
        present: detected!("avx512bf16"),
    },
    // Stable Rust cannot ask for AMX; only a native build on a Xeon with AMX has it.
    Feature {
        name: "AMX-INT8",
        compiled: ggml_cpu_has_amx_int8,
        present: || false,
    },
];

#[cfg(not(target_arch = "x86_64"))]
const FEATURES: &[Feature] = &[];

/// The instruction sets this build's whisper.cpp needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuBaseline {
    /// Names as in [`FEATURES`], in that order.
    pub features: Vec<&'static str>,
}

impl CpuBaseline {
    /// The x86-64 micro-architecture level the features amount to ("x86-64-v3"), or "generic".
    pub fn level(&self) -> &'static str {
        let has = |name| self.features.contains(&name);
        if !cfg!(target_arch = "x86_64") {
            "generic"
        } else if has("AVX-512") {
            "x86-64-v4"
        } else if ["AVX2", "FMA", "F16C", "BMI2"].iter().all(|f| has(f)) {
            "x86-64-v3"
        } else if has("SSSE3") {
            "x86-64-v2"
        } else {
            "x86-64"
        }
    }

    /// Which processors the level means, for people who do not know the level names.
    pub fn processors(&self) -> &'static str {
        match self.level() {
            "x86-64-v4" => "processors with AVX-512 (Intel Xeon since 2017, AMD Zen 4)",
            "x86-64-v3" => "Intel Haswell (2013), AMD Zen (2017) and newer processors",
            "x86-64-v2" => "Intel Nehalem (2008), AMD Bulldozer (2011) and newer processors",
            _ => "any processor of its architecture",
        }
    }
}

impl fmt::Display for CpuBaseline {
    /// "x86-64-v3 (SSE3, SSSE3, AVX, AVX2, FMA, F16C, BMI2)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.features.is_empty() {
            write!(f, "{}", self.level())
        } else {
            write!(f, "{} ({})", self.level(), self.features.join(", "))
        }
    }
}

/// What this build's whisper.cpp was compiled for.
pub fn build_baseline() -> CpuBaseline {
    CpuBaseline {
        features: FEATURES
            .iter()
            // SAFETY: each returns a compile-time constant and takes nothing (see the module
            // comment); no instruction beyond plain x86-64 runs.
            .filter(|f| unsafe { (f.compiled)() } != 0)
            .map(|f| f.name)
            .collect(),
    }
}

/// This computer's processor lacks instruction sets this build's whisper.cpp was compiled for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this computer's processor lacks {missing}: this build's speech recognition (whisper.cpp) \
     was compiled for {level}, {processors}, so it cannot transcribe here; everything else \
     works. To transcribe on this computer, build Rehearse from source on it (docs/packaging.md, \
     \"Building for another CPU\")",
    missing = missing.join(", "),
    level = baseline.level(),
    processors = baseline.processors()
)]
pub struct UnsupportedCpu {
    pub missing: Vec<&'static str>,
    pub baseline: CpuBaseline,
}

/// Ok when this CPU has every instruction set the build needs; otherwise which ones it lacks.
/// Call before loading a model: everything in whisper.cpp that computes may use them.
pub fn check_cpu() -> Result<(), UnsupportedCpu> {
    check_with(&build_baseline(), |name| {
        FEATURES.iter().any(|f| f.name == name && (f.present)())
    })
}

fn check_with(
    baseline: &CpuBaseline,
    present: impl Fn(&str) -> bool,
) -> Result<(), UnsupportedCpu> {
    let missing: Vec<&'static str> = baseline
        .features
        .iter()
        .copied()
        .filter(|name| !present(name))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(UnsupportedCpu {
            missing,
            baseline: baseline.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline(features: &[&'static str]) -> CpuBaseline {
        CpuBaseline {
            features: features.to_vec(),
        }
    }

    #[test]
    fn levels_follow_the_x86_64_definitions() {
        if !cfg!(target_arch = "x86_64") {
            return;
        }
        let v3 = ["SSE3", "SSSE3", "AVX", "AVX2", "FMA", "F16C", "BMI2"];
        assert_eq!(baseline(&v3).level(), "x86-64-v3");
        assert_eq!(
            baseline(&v3).to_string(),
            "x86-64-v3 (SSE3, SSSE3, AVX, AVX2, FMA, F16C, BMI2)"
        );
        assert_eq!(baseline(&["SSE3", "SSSE3", "AVX"]).level(), "x86-64-v2");
        let mut v4 = v3.to_vec();
        v4.push("AVX-512");
        assert_eq!(baseline(&v4).level(), "x86-64-v4");
        assert_eq!(baseline(&[]).to_string(), "x86-64");
    }

    #[test]
    fn a_cpu_without_avx2_is_told_what_it_lacks_and_what_to_do() {
        let b = baseline(&["SSE3", "SSSE3", "AVX", "AVX2", "FMA", "F16C", "BMI2"]);
        let nehalem = |name: &str| matches!(name, "SSE3" | "SSSE3");
        let err = check_with(&b, nehalem).expect_err("Nehalem has no AVX");
        assert_eq!(err.missing, ["AVX", "AVX2", "FMA", "F16C", "BMI2"]);
        let text = err.to_string();
        assert!(text.contains("lacks AVX, AVX2, FMA, F16C, BMI2"), "{text}");
        assert!(
            text.contains("compiled for x86-64-v3, Intel Haswell"),
            "{text}"
        );
        assert!(text.contains("docs/packaging.md"), "{text}");
        assert_eq!(check_with(&b, |_| true), Ok(()));
    }

    #[test]
    fn the_machine_that_runs_the_tests_can_run_what_it_built() {
        // The tests run where they were built, so a native build passes too; on a CPU the
        // build does not fit, this names what is missing (the qemu test covers that case).
        let b = build_baseline();
        assert_eq!(check_cpu(), Ok(()), "{b}");
    }
}
