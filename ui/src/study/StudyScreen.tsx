const COMING = [
  {
    title: 'Topic cards',
    text: 'Short cards on the ideas interviewers probe: retrieval and chunking, evaluation, serving cost and latency, guardrails, failure modes. Each names the trade-off and the numbers worth knowing.',
  },
  {
    title: 'Spaced repetition',
    text: 'Cards come back when you are about to forget them. The dimensions you scored low on in practice come first.',
  },
  {
    title: 'Answer out loud',
    text: 'Read the question, answer it aloud, and see which of the card’s key points you covered, with your own words quoted back.',
  },
  {
    title: 'Search, offline',
    text: 'Full-text search over every card and your past transcripts. Nothing needs the network.',
  },
];

export function StudyScreen() {
  return (
    <div className="screen" data-testid="study-screen">
      <header className="screen-header">
        <h1>Study</h1>
        <p className="subtitle">Coming soon: study the topics between practice sessions, at your own pace.</p>
      </header>
      <div className="coming-grid">
        {COMING.map((c) => (
          <section key={c.title} className="card coming-card">
            <p className="eyebrow">Coming</p>
            <h2>{c.title}</h2>
            <p>{c.text}</p>
          </section>
        ))}
      </div>
    </div>
  );
}
