/** One colour per socket type, so compatible sockets are recognisable at a glance. */
export const socketColors: Record<string, string> = {
  dataset: '#f5a524',
  batch: '#3fb950',
  latent: '#a371f7',
  model: '#58a6ff',
  loss: '#f85149',
  metrics: '#db61a2',
  unknown: '#8b949e',
};
