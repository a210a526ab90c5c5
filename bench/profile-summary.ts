/** Prints the hottest frames of a V8 .cpuprofile: `tsx bench/profile-summary.ts <file> [top]`. */
import { formatProfile, summarizeProfile } from './lib/profile.ts';

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
console.log(formatProfile(summarizeProfile(file, top ? Number(top) : 25)));
