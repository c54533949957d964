/* String handling: length, compare, reverse, a tiny printf-style number formatter, byte stores. */
static char text[4096];

static int slen(const char *s) { int n = 0; while (s[n]) n++; return n; }

static int fmt(char *out, int v)
{
    char tmp[16];
    int n = 0, neg = v < 0;
    unsigned int u = neg ? -(unsigned int)v : (unsigned int)v;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    int o = 0;
    if (neg) out[o++] = '-';
    while (n) out[o++] = tmp[--n];
    out[o] = 0;
    return o;
}

unsigned int main(void)
{
    int pos = 0;
    for (int i = -300; i < 300; i += 7) {
        pos += fmt(text + pos, i * i * i);
        text[pos++] = ',';
    }
    text[pos] = 0;
    int n = slen(text);
    for (int i = 0, j = n - 1; i < j; i++, j--) { char t = text[i]; text[i] = text[j]; text[j] = t; }
    unsigned int h = (unsigned int)n;
    for (int i = 0; i < n; i++)
        h = h * 131 + (unsigned char)text[i];
    return h;
}
