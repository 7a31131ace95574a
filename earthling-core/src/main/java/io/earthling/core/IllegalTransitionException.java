package io.earthling.core;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;

public class IllegalTransitionException extends EarthlingException {
    public IllegalTransitionException(JobState from, JobState to) {
        super("a job cannot move from " + from + " to " + to);
    }
}
