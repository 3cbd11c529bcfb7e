/** The ChannelKit mark: a hub reaching three partners. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--brand)" />
      <path
        d="M16 16 L8 9 M16 16 L24 9 M16 16 L16 25"
        stroke="#fff"
        strokeWidth="2.2"
        strokeLinecap="round"
      />
      <circle cx="16" cy="16" r="3.6" fill="#fff" />
      <circle cx="8" cy="9" r="2.4" fill="#c7d2fe" />
      <circle cx="24" cy="9" r="2.4" fill="#c7d2fe" />
      <circle cx="16" cy="25" r="2.4" fill="#c7d2fe" />
    </svg>
  );
}
