/* Base64 encode and decode round trip with table lookups and shifts. */
static const char enc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static unsigned char in[3000], out[4100], back[3100];
static signed char dec[256];

unsigned int main(void)
{
    for (int i = 0; i < 3000; i++)
        in[i] = (unsigned char)(i * 131 + 7);
    for (int i = 0; i < 256; i++)
        dec[i] = -1;
    for (int i = 0; i < 64; i++)
        dec[(unsigned char)enc[i]] = (signed char)i;
    int o = 0;
    for (int i = 0; i < 3000; i += 3) {
        unsigned int v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
        out[o++] = enc[v >> 18]; out[o++] = enc[(v >> 12) & 63]; out[o++] = enc[(v >> 6) & 63]; out[o++] = enc[v & 63];
    }
    int b = 0;
    for (int i = 0; i < o; i += 4) {
        unsigned int v = (unsigned int)dec[out[i]] << 18 | (unsigned int)dec[out[i + 1]] << 12 | (unsigned int)dec[out[i + 2]] << 6 | (unsigned int)dec[out[i + 3]];
        back[b++] = (unsigned char)(v >> 16); back[b++] = (unsigned char)(v >> 8); back[b++] = (unsigned char)v;
    }
    unsigned int h = (unsigned int)o;
    for (int i = 0; i < b; i++)
        h = h * 31 + back[i] + (back[i] != in[i]) * 1000000u;
    return h;
}
