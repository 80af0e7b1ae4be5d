//! Which compute back-end whisper.cpp runs on, and falling back to the CPU when the GPU
//! back-end this build was compiled with cannot be used.
//!
//! whisper.cpp itself quietly uses the CPU when it finds no GPU device; we look at ggml's
//! device list first so the app can say so ("GPU (Vulkan) unavailable: ...; using CPU")
//! instead of being mysteriously slow, and load again on the CPU when loading on the GPU
//! fails.

use std::ffi::CStr;
use whisper_rs::whisper_rs_sys as sys;

/// The GPU back-end compiled into this build (Cargo feature `cuda`, `vulkan` or `metal`).
pub const GPU_API: Option<&str> = if cfg!(feature = "cuda") {
    Some("CUDA")
} else if cfg!(feature = "vulkan") {
    Some("Vulkan")
} else if cfg!(feature = "metal") {
    Some("Metal")
} else {
    None
};

/// Where transcription runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SttBackend {
    Cpu,
    /// `api`: "CUDA", "Vulkan" or "Metal"; `device`: ggml's description of the device.
    Gpu {
        api: String,
        device: String,
    },
}

impl std::fmt::Display for SttBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SttBackend::Cpu => write!(f, "CPU"),
            SttBackend::Gpu { api, device } => write!(f, "GPU ({api}: {device})"),
        }
    }
}

/// What a load ended up with: the back-end in use, and why the GPU is not used when it was
/// asked for (shown to the user as a notice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendChoice {
    pub backend: SttBackend,
    pub gpu_notice: Option<String>,
}

impl BackendChoice {
    pub fn cpu() -> Self {
        BackendChoice {
            backend: SttBackend::Cpu,
            gpu_notice: None,
        }
    }

    /// "GPU (Vulkan) unavailable: <reason>; using CPU".
    pub fn cpu_fallback(api: &str, reason: &str) -> Self {
        BackendChoice {
            backend: SttBackend::Cpu,
            gpu_notice: Some(format!("GPU ({api}) unavailable: {reason}; using CPU")),
        }
    }

    /// One line for `rehearse models verify` and the like.
    pub fn describe(&self) -> String {
        match (&self.backend, &self.gpu_notice, GPU_API) {
            (_, Some(notice), _) => notice.clone(),
            (SttBackend::Cpu, None, None) => "CPU (built without GPU support)".to_string(),
            (SttBackend::Cpu, None, Some(api)) => format!("CPU (GPU ({api}) turned off)"),
            (gpu, None, _) => gpu.to_string(),
        }
    }
}

/// The GPU (and integrated GPU) devices ggml can use in this build, by description, e.g.
/// "NVIDIA H100 80GB HBM3" or "llvmpipe (LLVM 15.0.6, 256 bits)". Always empty in a build
/// without a GPU feature. Enumerating initialises the compiled-in back-ends (ggml catches
/// their errors, e.g. a missing Vulkan driver, and leaves that back-end out).
pub fn gpu_devices() -> Vec<String> {
    if GPU_API.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    // SAFETY: ggml's registry functions take no pointers from us; the returned device
    // handles and strings are owned by ggml's static registry and live for the process.
    unsafe {
        for i in 0..sys::ggml_backend_dev_count() {
            let dev = sys::ggml_backend_dev_get(i);
            if dev.is_null() {
                continue;
            }
            let kind = sys::ggml_backend_dev_type(dev);
            if kind != sys::ggml_backend_dev_type_GGML_BACKEND_DEVICE_TYPE_GPU
                && kind != sys::ggml_backend_dev_type_GGML_BACKEND_DEVICE_TYPE_IGPU
            {
                continue;
            }
            let text = |p: *const std::os::raw::c_char| {
                (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
            };
            let name = text(sys::ggml_backend_dev_name(dev)).unwrap_or_default();
            let description = text(sys::ggml_backend_dev_description(dev))
                .filter(|d| !d.trim().is_empty())
                .unwrap_or(name);
            out.push(description);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_notice_names_the_api_and_the_reason() {
        let c = BackendChoice::cpu_fallback("Vulkan", "no Vulkan device found");
        assert_eq!(c.backend, SttBackend::Cpu);
        assert_eq!(
            c.describe(),
            "GPU (Vulkan) unavailable: no Vulkan device found; using CPU"
        );
        let gpu = SttBackend::Gpu {
            api: "CUDA".into(),
            device: "NVIDIA H100".into(),
        };
        assert_eq!(gpu.to_string(), "GPU (CUDA: NVIDIA H100)");
    }

    #[test]
    fn a_build_without_gpu_features_sees_no_gpu() {
        if GPU_API.is_none() {
            assert!(gpu_devices().is_empty());
            assert_eq!(
                BackendChoice::cpu().describe(),
                "CPU (built without GPU support)"
            );
        }
    }
}
