import { Component, type ReactNode } from 'react';

/** Keeps one broken page from blanking the whole app; reset by keying it on the route. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="page">
          <div role="alert" className="error-box">
            <strong>Something went wrong.</strong> {this.state.error.message}
          </div>
        </div>
      );
    }
    return this.props.children;
  }
}
