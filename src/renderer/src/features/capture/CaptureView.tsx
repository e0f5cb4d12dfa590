/** The Captures view; its panels land with their rooms (see the issues). */
export function CaptureView() {
  return (
    <section className="card" aria-labelledby="capture-title">
      <h2 id="capture-title">Captures</h2>
    </section>
  );
}
