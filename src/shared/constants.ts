/** Side of an MNIST digit, in pixels. */
export const IMAGE_SIZE = 28;
/** Pixels in one digit: the model's input width. */
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;
/** Digits 0..9. */
export const NUM_CLASSES = 10;
/** Images in the MNIST training file (split 80/20 into train and validation). */
export const MNIST_TRAIN_COUNT = 60000;
/** Images in the MNIST test file (used once, for the final evaluation). */
export const MNIST_TEST_COUNT = 10000;
/**
 * Test accuracy of the reference recipe as scikit-learn's MLPClassifier trains it
 * on this data (784-64-64-10, Adam 1e-3, batch 32, 10 epochs, standardised pixels).
 */
export const REFERENCE_TEST_ACCURACY = 0.967;
/** Where the prepared data lives, relative to the page. */
export const DATA_BASE_PATH = 'data/';
