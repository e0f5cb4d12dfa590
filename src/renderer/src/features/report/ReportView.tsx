/** The Reports view; its panels land with their rooms (see the issues). */
export function ReportView() {
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">Reports</h2>
    </section>
  );
}
