# multiprocessing.log_to_stderr(level) and get_logger(): the 'multiprocessing' logger at the level given, not
# propagating to the root logger, one handler per call, messages below the level dropped; the last line on stderr
# is the last message, in CPython's format.
import logging
import multiprocessing

if __name__ == "__main__":
    logger = multiprocessing.get_logger()
    print(logger.name, logger is logging.getLogger("multiprocessing"), len(logger.handlers))
    same = multiprocessing.log_to_stderr(logging.ERROR)
    print(same is logger, logger.level, logger.propagate, len(logger.handlers))
    logger.warning("dropped: below ERROR")
    logger.error("kept: %s", "an error")
    logger.setLevel(logging.INFO)
    logger.info("and now info: %d", 42)
    logger.setLevel(logging.WARNING)   # CPython's own exit messages are at INFO
