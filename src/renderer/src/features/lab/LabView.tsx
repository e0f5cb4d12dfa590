/** The Lab view; its panels land with their rooms (see the issues). */
export function LabView() {
  return (
    <section className="card" aria-labelledby="lab-title">
      <h2 id="lab-title">Lab</h2>
    </section>
  );
}
