export function App() {
  return (
    <div data-app-state="ready">
      <h1>PitWall</h1>
    </div>
  );
}
