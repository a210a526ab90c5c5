/** Run colours: distinct hues readable on both the light and the dark background. */
export const PALETTE = [
  '#3b7ddd',
  '#e4572e',
  '#2a9d57',
  '#b04fd1',
  '#d9a400',
  '#17a2b8',
  '#e83e8c',
  '#6c757d',
  '#8c6d31',
  '#5c6bc0',
];

export const colorFor = (i: number) => PALETTE[i % PALETTE.length];
