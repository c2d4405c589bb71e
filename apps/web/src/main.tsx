// Entry point, kept small so that the browser runs it as soon as it arrives: the first open's requests leave
// (app/first-open.ts) while React and the app are still loading, then the app mounts.
import { startFirstOpen } from "./app/first-open.ts";
import "./ui/base.css";
import "./ui/controls.css";
import "./ui/frames.css";

const clients = startFirstOpen(window.location.search);
void import("./app/mount.tsx").then(({ mount }) => mount(clients));
