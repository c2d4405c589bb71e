// Mounts the app into index.html's #root, with the clients whose first requests are already on their way.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import type { ApiClients } from "./Providers.tsx";

export function mount(clients: ApiClients): void {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <App {...clients} />
    </StrictMode>,
  );
}
