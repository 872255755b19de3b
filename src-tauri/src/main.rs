// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's GPU compositing (its DMA-BUF renderer) costs the web process about 100 MB
    // more and makes paints slower where it composites in software (no GPU: virtual machines,
    // remote desktops), for pages as simple as these (docs/benchmarks.md). Set before any
    // thread starts; a value the user set is kept.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    gatehouse_shell::run();
}
