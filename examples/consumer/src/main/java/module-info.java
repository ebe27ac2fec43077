/** The consumer example, as a JPMS module: it can reach only the packages VirtualGhost exports. */
module dev.virtualghost.examples.consumer {
    requires dev.virtualghost.ch;
    requires okhttp3;
    requires okio;
}
