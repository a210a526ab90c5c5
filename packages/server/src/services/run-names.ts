import { randomInt } from 'node:crypto';

// A shorter vocabulary than MLflow's; the shape (`adjective-animal-number`) is what users see.
const ADJECTIVES =
  'able agile amber ample bold brave bright brisk calm clever crisp curious daring deft eager gentle glad grand happy honest jolly keen kind lively loud lucky merry mighty modest neat nimble noble polite proud quick quiet rare rich rosy shy silent sleek smart snappy sneaky spry stately steady sunny swift tasty tidy unique upbeat valiant vast wise witty youthful zealous'.split(
    ' ',
  );
const ANIMALS =
  'ant ape asp bass bat bear bee boar cat carp chimp cod colt crab crane cow deer doe dog dove duck eel elk emu finch fish fly foal fox frog gnat gnu goat goose hare hawk hen hog jay kit koi lark lamb lion lynx mole moose moth mouse mule newt owl ox panda pig ram rat robin seal shark sheep shrew skink slug snail snake squid stag swan toad trout wasp whale wolf worm wren yak'.split(
    ' ',
  );

/** A random run name like MLflow's: `bold-owl-347`, at most 20 characters. */
export function generateRunName(): string {
  for (let i = 0; i < 10; i++) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}-${randomInt(1001)}`;
    if (name.length <= 20) return name;
  }
  return `run-${randomInt(1001)}`;
}
