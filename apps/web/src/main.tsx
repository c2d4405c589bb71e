// Entry point: asks for the first open's data, then mounts the app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { askForFirstOpen } from "./app/first-open.ts";
import { createQueryClient } from "./app/query-client.ts";
import { createApiClient } from "./app/trpc.ts";
import "./ui/base.css";
import "./ui/controls.css";
import "./ui/frames.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
const queryClient = createQueryClient();
const apiClient = createApiClient();
askForFirstOpen(queryClient, apiClient, window.location.search);
createRoot(root).render(
  <StrictMode>
    <App queryClient={queryClient} apiClient={apiClient} />
  </StrictMode>,
);
