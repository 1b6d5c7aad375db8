// The empty state every panel shows when its engine has nothing (yet) or failed.
export function Empty({ title, detail }: { title: string; detail?: string | null }) {
  return (
    <div className="empty">
      <div className="empty-title">{title}</div>
      {detail ? <div className="empty-detail">{detail}</div> : null}
    </div>
  );
}
