// The last line of defence: a bug while rendering shows a way back instead of a blank page.
import { Component, type ReactNode } from "react";

interface ErrorBoundaryState {
  failed: boolean;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(): ErrorBoundaryState {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="centered-screen">
        <div className="error-state" role="alert">
          <div>
            <p className="error-state-title">Chairside ran into a problem</p>
            <p className="error-state-message">
              Reload the page to carry on; what you were looking at is in the address.
            </p>
          </div>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
}
