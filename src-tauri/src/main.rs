// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's GPU compositing (its DMA-BUF renderer) costs the web process about 100 MB
    // more (measured in docs/benchmarks.md) for pages this simple, which paint as fast
    // without it. Set before any thread starts; a value already set by the user is kept.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    gatehouse_shell::run();
}
