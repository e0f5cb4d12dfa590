import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** what the boundary guards, named in the message */
  area: string;
  children: ReactNode;
}

/** Keeps the app usable when one view throws: the message in place, and a way back. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`[${this.props.area}]`, error.message, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="error-box">
        <strong>{this.props.area} stopped working:</strong> {this.state.error.message}
        <div>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
