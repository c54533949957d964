/* Packed structures force unaligned word accesses (LWL/LWR/SWL/SWR) and byte-wise copies. */
struct __attribute__((packed)) rec {
    unsigned char tag;
    unsigned int a;
    unsigned short b;
    unsigned int c;
};

static struct rec recs[64];
static unsigned char raw[1024];

unsigned int main(void)
{
    for (int i = 0; i < 64; i++) {
        recs[i].tag = (unsigned char)i;
        recs[i].a = 0x01020304u * (unsigned int)(i + 1);
        recs[i].b = (unsigned short)(i * 257);
        recs[i].c = ~recs[i].a;
    }
    for (int i = 0; i < 1024; i++)
        raw[i] = (unsigned char)(i * 37);
    unsigned int h = 0;
    for (int i = 0; i < 64; i++)
        h = h * 33 + recs[i].a + recs[i].b + recs[i].c + recs[i].tag;
    for (int off = 0; off < 1000; off += 7) {
        unsigned int w;
        __builtin_memcpy(&w, raw + off, 4);
        h ^= w + (unsigned int)off;
        struct rec *r = (struct rec *)(raw + off % 900);
        r->a = h;
        h += r->c;
    }
    return h;
}
